-- The address a national identity provider gave for ending one sign-in (VNeID's
-- `logoutUri`), kept with the citizen's session so that signing out here ends it there.
ALTER TABLE citizen_sessions ADD COLUMN identity_logout TEXT;
