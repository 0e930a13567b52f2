-- The identity provider a citizen's session was opened through, so that signing out here
-- also ends the session at the provider (OpenID Connect RP-initiated logout).
ALTER TABLE citizen_sessions ADD COLUMN identity_provider TEXT;
