-- An administrator's reset makes the officer choose a password of their own at the next
-- sign-in.
ALTER TABLE staff ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
