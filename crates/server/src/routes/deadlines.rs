use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use mosharekat_api::consultation::window_is_short;
use mosharekat_api::{
    Consultation, ConsultationStatus, DeadlineFlag, DeadlineItem, DeadlinesResponse, Role,
};

use crate::auth::StaffAuth;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::ConsultationFilter;

/// `GET /api/v1/deadlines` (operator): every consultation with its computed flags, most urgent first.
pub async fn deadlines(
    State(state): State<AppState>,
    auth: StaffAuth,
) -> ApiResult<Json<DeadlinesResponse>> {
    auth.require(Role::Operator)?;
    let now = state.now();
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let batch = state
            .store
            .list_consultations(
                &ConsultationFilter {
                    status: None,
                    after,
                    limit: 500,
                },
                now,
            )
            .await?;
        after = batch.last().map(|c| c.id);
        let done = batch.len() < 500;
        all.extend(batch);
        if done {
            break;
        }
    }
    let (soon, due) = (state.config.closing_soon_days, state.config.report_due_days);
    let mut items: Vec<DeadlineItem> = all
        .iter()
        .map(|c| deadline_item(c, now, soon, due))
        .collect();
    items.sort_by_key(urgency);
    Ok(Json(DeadlinesResponse {
        items,
        closing_soon_days: soon,
        report_due_days: due,
        generated_at: now,
    }))
}

pub fn deadline_item(
    c: &Consultation,
    now: DateTime<Utc>,
    closing_soon_days: i64,
    report_due_days: i64,
) -> DeadlineItem {
    let mut flags = Vec::new();
    let report_due_at = (c.status != ConsultationStatus::Draft)
        .then(|| c.closed_at() + Duration::days(report_due_days));
    if c.status == ConsultationStatus::Closed
        && c.report_published_at.is_none()
        && report_due_at.is_some_and(|due| now > due)
    {
        flags.push(DeadlineFlag::ReportOverdue);
    }
    if c.status == ConsultationStatus::Open
        && c.closes_at - now <= Duration::days(closing_soon_days)
    {
        flags.push(DeadlineFlag::ClosingSoon);
    }
    if window_is_short(c.opens_at, c.closes_at) {
        flags.push(DeadlineFlag::ShortWindow);
    }
    if c.title_en.trim().is_empty() || c.summary_en.trim().is_empty() {
        flags.push(DeadlineFlag::MissingTranslation);
    }
    DeadlineItem {
        consultation_id: c.id,
        kind: c.kind,
        title_fa: c.title_fa.clone(),
        title_en: c.title_en.clone(),
        status: c.status,
        opens_at: c.opens_at,
        closes_at: c.closes_at,
        days_left: days_until(now, c.closes_at),
        window_days: c.window_days(),
        report_due_at,
        report_published_at: c.report_published_at,
        flags,
    }
}

/// Whole days from `now` to `then`, rounded toward the later day (a deadline in 2.5 days has 3 days left;
/// one passed 2.5 days ago is −2).
fn days_until(now: DateTime<Utc>, then: DateTime<Utc>) -> i64 {
    let ms = (then - now).num_milliseconds();
    ms.div_euclid(86_400_000) + i64::from(ms.rem_euclid(86_400_000) != 0)
}

/// Most urgent first: the most severe flag (overdue, closing soon, short window, missing translation),
/// then open before scheduled before draft before closed, then the nearest deadline.
fn urgency(item: &DeadlineItem) -> (u8, u8, i64) {
    let severity = item.flags.iter().map(|f| *f as u8).min().unwrap_or(u8::MAX);
    let status = match item.status {
        ConsultationStatus::Open => 0,
        ConsultationStatus::Scheduled => 1,
        ConsultationStatus::Draft => 2,
        ConsultationStatus::Closed => 3,
    };
    (severity, status, item.closes_at.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use mosharekat_api::ConsultationKind;

    fn consultation(
        status: ConsultationStatus,
        opens: i64,
        closes: i64,
        now: DateTime<Utc>,
    ) -> Consultation {
        Consultation {
            id: 1,
            kind: ConsultationKind::Regulation,
            status,
            title_fa: "آیین‌نامه".into(),
            title_en: "Regulation".into(),
            summary_fa: "خلاصه".into(),
            summary_en: "Summary".into(),
            drafting_unit: "unit".into(),
            opens_at: now + Duration::days(opens),
            closes_at: now + Duration::days(closes),
            portal_url: String::new(),
            short_window_reason: None,
            published_at: Some(now),
            closed_early_at: None,
            closed_early_reason: None,
            created_at: now,
            updated_at: now,
            comment_count: 0,
            report_published_at: None,
        }
    }

    #[test]
    fn flags() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        let open = consultation(ConsultationStatus::Open, -28, 2, now);
        let item = deadline_item(&open, now, 3, 30);
        assert_eq!(item.flags, vec![DeadlineFlag::ClosingSoon]);
        assert_eq!(item.days_left, 2);
        assert_eq!(item.window_days, 30);

        let short = consultation(ConsultationStatus::Open, -5, 10, now);
        assert_eq!(
            deadline_item(&short, now, 3, 30).flags,
            vec![DeadlineFlag::ShortWindow]
        );

        let overdue = consultation(ConsultationStatus::Closed, -80, -31, now);
        let item = deadline_item(&overdue, now, 3, 30);
        assert_eq!(item.flags, vec![DeadlineFlag::ReportOverdue]);
        assert_eq!(item.days_left, -31);

        let mut awaiting = consultation(ConsultationStatus::Closed, -60, -10, now);
        assert!(deadline_item(&awaiting, now, 3, 30).flags.is_empty());
        awaiting.title_en.clear();
        assert_eq!(
            deadline_item(&awaiting, now, 3, 30).flags,
            vec![DeadlineFlag::MissingTranslation]
        );

        let mut published = consultation(ConsultationStatus::Closed, -80, -31, now);
        published.report_published_at = Some(now);
        assert!(deadline_item(&published, now, 3, 30).flags.is_empty());
    }

    #[test]
    fn days_left_rounds_up() {
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        assert_eq!(days_until(now, now + Duration::hours(60)), 3);
        assert_eq!(days_until(now, now + Duration::days(2)), 2);
        assert_eq!(days_until(now, now - Duration::hours(60)), -2);
        assert_eq!(days_until(now, now), 0);
    }
}
