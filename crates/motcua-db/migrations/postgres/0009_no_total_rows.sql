-- The all-time total of a counter key is the sum of its year rows; the total rows (day 0)
-- are no longer kept, so every intake and transition writes a row fewer per key.

DELETE FROM stat_days WHERE day = 0;
