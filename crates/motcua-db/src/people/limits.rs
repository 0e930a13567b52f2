//! Giới hạn theo địa chỉ, dùng chung — failed sign-ins per client address in five-minute
//! windows, kept in the database so that every node serving it counts the same failures.
//! An attempt takes one failure before its password is checked (so concurrent guesses cannot
//! all pass a count made before any was taken) and a successful one gives it back.

use crate::DbError;

/// The window failures are counted in.
pub const FAILURE_WINDOW_SECONDS: i64 = 5 * 60;

const TAKE: &str = "INSERT INTO address_failures (kind, address, window_start, count)
    VALUES ($1, $2, $3, 1)
    ON CONFLICT (kind, address, window_start)
    DO UPDATE SET count = address_failures.count + 1 WHERE address_failures.count < $4
    RETURNING count";

const GIVE_BACK: &str = "UPDATE address_failures SET count = count - 1
    WHERE kind = $1 AND address = $2 AND window_start = $3 AND count > 0";

const PRUNE: &str = "DELETE FROM address_failures WHERE window_start < $1";

fn window(now: i64) -> i64 {
    now.div_euclid(FAILURE_WINDOW_SECONDS) * FAILURE_WINDOW_SECONDS
}

impl super::People<'_> {
    /// Takes one of `address`'s failures of `kind` in the window of `now`; false, taking
    /// nothing, once `limit` are taken.
    pub async fn take_failure(
        self,
        kind: &str,
        address: &str,
        limit: i64,
        now: i64,
    ) -> Result<bool, DbError> {
        let taken: Option<i64> = on_write!(self.db, pool => {
            sqlx::query_scalar(TAKE)
                .bind(kind)
                .bind(address)
                .bind(window(now))
                .bind(limit.max(1))
                .fetch_optional(pool)
                .await?
        });
        Ok(taken.is_some())
    }

    /// Gives back the failure [`Self::take_failure`] took at `now`, for an attempt that
    /// succeeded.
    pub async fn give_back_failure(
        self,
        kind: &str,
        address: &str,
        now: i64,
    ) -> Result<(), DbError> {
        on_write!(self.db, pool => {
            sqlx::query(GIVE_BACK)
                .bind(kind)
                .bind(address)
                .bind(window(now))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Drops the windows before the one of `now` ends the last: for the server's sweep.
    pub async fn prune_failures(self, now: i64) -> Result<u64, DbError> {
        let done = on_write!(self.db, pool => {
            sqlx::query(PRUNE)
                .bind(window(now) - FAILURE_WINDOW_SECONDS)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done)
    }
}
