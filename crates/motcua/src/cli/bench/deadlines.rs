//! Deadline computations per second on one core, over 1–30 working days from instants
//! spread over 2000–2099: the median of several rounds.

use anyhow::Context;
use chrono::DateTime;
use motcua_domain::calendar::{DeadlinePolicy, WorkCalendar, vietnam_offset};
use std::time::Instant;

pub fn measure(calendar: &WorkCalendar, rounds: usize, per_round: u64) -> anyhow::Result<f64> {
    let policies: Vec<DeadlinePolicy> = (1..=30).map(DeadlinePolicy::working_days).collect();
    let base = 946_659_600i64; // 2000-01-01T00:00:00+07:00
    let span = 100 * 365 * 86_400i64;
    let vn = vietnam_offset();
    let mut rates = Vec::with_capacity(rounds);
    let mut checksum = 0i64;
    for round in 0..rounds {
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ round as u64;
        let started = Instant::now();
        for i in 0..per_round {
            // xorshift: cheap, deterministic spread of instants.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let offset = (state % span as u64) as i64;
            let received = DateTime::from_timestamp(base + offset, 0)
                .context("instant")?
                .with_timezone(&vn);
            let policy = &policies[(i % 30) as usize];
            let d = calendar.deadline(policy, received)?;
            checksum = checksum.wrapping_add(d.due.timestamp());
        }
        rates.push(per_round as f64 / started.elapsed().as_secs_f64());
    }
    std::hint::black_box(checksum);
    Ok(super::load::median(rates))
}
