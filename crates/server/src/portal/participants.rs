//! Taking part: register (with a mobile number verified by a one-time code, or without one as an
//! unverified participant who may comment), sign in with the number or the participant key, sign
//! out, and "my page" (my comments
//! with their status and reasons, paged by id, my ballots, my score and what it is made of, my
//! certificates).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mosharekat_api::{
    Category, Channel, CommentStatus, Gender, Language, NewParticipant, Province,
};

use super::forms::{Fields, field};
use super::session::{CSRF_FIELD, SESSION_COOKIE, Visitor, set_cookie};
use super::view::{self, Chrome, FormErrors, PageQuery, html, long_date};
use crate::rules::{RegistrationProblem, registration_problems};
use crate::state::AppState;
use crate::store::{CertificateFilter, CommentFilter, StoreError};

/// How long the session cookie lasts (the participant key itself does not expire).
const SESSION_DAYS: i64 = 365;

#[derive(Debug, Default, serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Where to go after signing in: a portal path of this site only (never another host).
fn safe_next(next: &str, visitor: &Visitor) -> String {
    let ok = (next.starts_with("/fa/") || next.starts_with("/en/"))
        && !next.contains("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if ok {
        next.to_owned()
    } else {
        visitor.href("/me?welcome=1")
    }
}

/// One choice of a radio group or select.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "portal/register.html")]
pub struct RegisterPage {
    pub c: Chrome,
    pub action: String,
    pub next: String,
    pub display_name: String,
    pub categories: Vec<Choice>,
    pub birth_year: String,
    pub genders: Vec<Choice>,
    pub provinces: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub handle: String,
    pub name_public: bool,
    pub consent: bool,
    pub errors: FormErrors,
    pub sign_in_href: String,
    pub phone: PhoneStep,
}

/// The mobile number part of the register and sign-in forms: the number and code as typed, and
/// what the last "send me a code" said.
#[derive(Default)]
pub struct PhoneStep {
    pub phone: String,
    pub code: String,
    /// "A code was sent to 09•••••••89."
    pub sent: Option<String>,
    /// The demo's notice with the code in it (no SMS gateway, embedded demo only).
    pub demo: Option<String>,
}

impl PhoneStep {
    fn from_fields(fields: &Fields) -> Self {
        PhoneStep {
            phone: field(fields, "phone").trim().to_owned(),
            code: field(fields, "code").trim().to_owned(),
            ..PhoneStep::default()
        }
    }

    /// Send a code to the typed number; the notice, or the error beside the number.
    async fn send_code(&mut self, state: &AppState, visitor: &Visitor, errors: &mut FormErrors) {
        match crate::verification::request_code(state, &self.phone, visitor.client()).await {
            Ok(sent) => {
                let cat = visitor.lang.catalogue();
                let masked = format!("\u{2066}{}\u{2069}", sent.phone_masked);
                self.sent = Some(cat.format("portal.register.code_sent", &[("phone", &masked)]));
                self.demo = sent
                    .demo_code
                    .map(|code| cat.format("portal.register.demo_code", &[("code", &code)]));
                self.code.clear();
            }
            Err(e) => {
                let (field, text) = verification_error(visitor, &e);
                errors.add(field, text);
            }
        }
    }
}

/// The signed-in participant when they have no verified number: a new number they prove becomes
/// theirs (their comments stay theirs, and from then on they may vote).
fn unverified(visitor: &Visitor) -> Option<i64> {
    visitor
        .participant
        .as_ref()
        .filter(|p| p.verified_at.is_none())
        .map(|p| p.id)
}

/// The field a refusal of the code flow belongs beside, and its text.
fn verification_error(visitor: &Visitor, e: &crate::error::ApiError) -> (&'static str, String) {
    use mosharekat_api::ErrorCode;
    let cat = visitor.lang.catalogue();
    let key = format!("portal.error_code.{}", e.code.as_str());
    match e.code {
        ErrorCode::RateLimited => (
            "phone",
            cat.format(
                &key,
                &[("seconds", &cat.number(e.retry_after.unwrap_or(60) as i64))],
            ),
        ),
        ErrorCode::InvalidPhone
        | ErrorCode::SmsFailed
        | ErrorCode::SmsNotConfigured
        | ErrorCode::RegistrationRequired
        | ErrorCode::VerificationRequired => ("phone", cat.text(&key).to_owned()),
        ErrorCode::WrongCode | ErrorCode::CodeExpired | ErrorCode::NoCode => {
            ("code", cat.text(&key).to_owned())
        }
        _ => (
            "phone",
            cat.text("portal.error_code.validation_failed").to_owned(),
        ),
    }
}

/// What the register form holds (as typed).
#[derive(Default)]
struct RegisterDraft {
    display_name: String,
    category: String,
    birth_year: String,
    gender: String,
    province: String,
    channel: String,
    handle: String,
    name_public: bool,
    consent: bool,
    next: String,
}

impl RegisterDraft {
    fn from_fields(fields: &Fields) -> Self {
        RegisterDraft {
            display_name: field(fields, "display_name").to_owned(),
            category: field(fields, "category").to_owned(),
            birth_year: field(fields, "birth_year").trim().to_owned(),
            gender: field(fields, "gender").to_owned(),
            province: field(fields, "province").to_owned(),
            channel: field(fields, "channel").to_owned(),
            handle: field(fields, "handle").to_owned(),
            name_public: field(fields, "name_public") == "1",
            consent: field(fields, "consent") == "1",
            next: field(fields, "next").to_owned(),
        }
    }
}

fn register_page(
    visitor: &Visitor,
    draft: RegisterDraft,
    phone: PhoneStep,
    errors: FormErrors,
) -> Response {
    let cat = visitor.lang.catalogue();
    let choice = |value: &'static str, label: String, current: &str| Choice {
        value,
        label,
        selected: value == current,
    };
    let mut genders: Vec<Choice> = Gender::ALL
        .iter()
        .map(|g| {
            choice(
                g.as_str(),
                cat.text(&format!("gender.{}", g.as_str())).to_owned(),
                &draft.gender,
            )
        })
        .collect();
    genders.push(choice(
        "",
        cat.text("portal.register.prefer_not").to_owned(),
        &draft.gender,
    ));
    let mut provinces = vec![choice(
        "",
        cat.text("portal.register.prefer_not").to_owned(),
        &draft.province,
    )];
    provinces.extend(Province::ALL.iter().map(|p| {
        choice(
            p.code(),
            visitor.lang.pick(p.name_fa(), p.name_en()).to_owned(),
            &draft.province,
        )
    }));
    let mut channels = vec![choice(
        "",
        cat.text("portal.register.no_channel").to_owned(),
        &draft.channel,
    )];
    channels.extend([Channel::Bale, Channel::Eitaa].iter().map(|ch| {
        choice(
            ch.as_str(),
            cat.text(&format!("channel.{}", ch.as_str())).to_owned(),
            &draft.channel,
        )
    }));
    let title = cat.text("portal.register.title").to_owned();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let sign_in_href = if draft.next.is_empty() {
        visitor.href("/sign-in")
    } else {
        visitor.href(&format!(
            "/sign-in?next={}",
            percent_encoding::utf8_percent_encode(&draft.next, percent_encoding::NON_ALPHANUMERIC)
        ))
    };
    let page = RegisterPage {
        c: Chrome::new(visitor, &title, "register"),
        action: visitor.href("/register"),
        next: draft.next,
        display_name: draft.display_name,
        categories: Category::ALL
            .iter()
            .map(|k| {
                choice(
                    k.as_str(),
                    cat.text(&format!("category.{}", k.as_str())).to_owned(),
                    &draft.category,
                )
            })
            .collect(),
        birth_year: draft.birth_year,
        genders,
        provinces,
        channels,
        handle: draft.handle,
        name_public: draft.name_public,
        consent: draft.consent,
        errors,
        sign_in_href,
        phone,
    };
    html(status, &page)
}

/// `GET /{lang}/register[?next=]`
pub async fn register_form(visitor: Visitor, PageQuery(q): PageQuery<NextQuery>) -> Response {
    let draft = RegisterDraft {
        next: q.next.unwrap_or_default(),
        ..RegisterDraft::default()
    };
    register_page(&visitor, draft, PhoneStep::default(), FormErrors::default())
}

/// The message beside a field for a rule's refusal.
fn problem_text(visitor: &Visitor, problem: RegistrationProblem) -> String {
    let cat = visitor.lang.catalogue();
    match problem {
        RegistrationProblem::NameLength => cat.text("portal.register.error.name").to_owned(),
        RegistrationProblem::NameNul => cat.text("portal.error_code.invalid_text").to_owned(),
        RegistrationProblem::ConsentRequired => {
            cat.text("portal.register.error.consent").to_owned()
        }
        RegistrationProblem::BirthYear { min, max } => cat.format(
            "portal.register.error.birth_year",
            &[("min", &cat.number(min)), ("max", &cat.number(max))],
        ),
        RegistrationProblem::ChannelWithoutHandle => {
            cat.text("portal.register.error.handle_missing").to_owned()
        }
        RegistrationProblem::HandleWithoutChannel => {
            cat.text("portal.register.error.channel_missing").to_owned()
        }
        RegistrationProblem::HandleTooLong | RegistrationProblem::WebhookNotUrl => {
            cat.text("portal.register.error.handle").to_owned()
        }
    }
}

/// The session cookie that signs `token` in, as a response header.
fn session_cookie(visitor: &Visitor, token: &str) -> HeaderValue {
    set_cookie(
        SESSION_COOKIE,
        token,
        SESSION_DAYS * 24 * 60 * 60,
        visitor.secure,
    )
}

fn signed_in_redirect(visitor: &Visitor, token: &str, to: &str) -> Response {
    let mut response = view::see_other(to);
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(visitor, token));
    response
}

/// `POST /{lang}/register`: the fields of `POST /api/v1/public/participants`, checked by the same
/// rules (`rules::registration_problems`); every problem is shown beside its field at once.
pub async fn register_post(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = visitor.refuse_post(field(&fields, CSRF_FIELD)) {
        return refused;
    }
    let draft = RegisterDraft::from_fields(&fields);
    let mut phone = PhoneStep::from_fields(&fields);
    let cat = visitor.lang.catalogue();
    let mut errors = FormErrors::default();
    if field(&fields, "step") == "send_code" {
        phone.send_code(&state, &visitor, &mut errors).await;
        return register_page(&visitor, draft, phone, errors);
    }
    let category = Category::from_code(&draft.category);
    if category.is_none() {
        errors.add("category", cat.text("portal.register.error.category"));
    }
    // Parsing what the browser sent is ours; the rules on the values are the API's.
    let birth_year = match draft.birth_year.as_str() {
        "" => None,
        text => match mosharekat_locale::digits::to_ascii_digits(text).parse::<i32>() {
            // A Persian (solar Hijri) year: no Gregorian birth year is this small, so it cannot
            // be mistaken; the year it mostly falls in.
            Ok(year) if (1200..1600).contains(&year) => Some(year + 621),
            Ok(year) => Some(year),
            Err(_) => {
                errors.add(
                    "birth_year",
                    cat.text("portal.register.error.birth_year_number"),
                );
                None
            }
        },
    };
    let new = NewParticipant {
        display_name: draft.display_name.clone(),
        category: category.unwrap_or(Category::Public),
        birth_year,
        gender: Gender::from_code(&draft.gender),
        province: Province::from_code(&draft.province),
        channel: Channel::from_code(&draft.channel).filter(|c| *c != Channel::Webhook),
        handle: Some(draft.handle.trim().to_owned()).filter(|h| !h.is_empty()),
        consent: draft.consent,
        name_public: draft.name_public,
        language: match visitor.lang {
            view::Lang::Fa => Language::Fa,
            view::Lang::En => Language::En,
        },
    };
    let now = state.now();
    for problem in registration_problems(&new, now) {
        errors.add(problem.field(), problem_text(&visitor, problem));
    }
    if phone.phone.is_empty() {
        if state.config.verification.required {
            errors.add("phone", cat.text("portal.error_code.verification_required"));
        }
    } else if phone.code.is_empty() {
        errors.add("code", cat.text("portal.error_code.no_code"));
    }
    // In the order of the form's fields, so the summary reads top to bottom.
    const ORDER: [&str; 9] = [
        "phone",
        "code",
        "display_name",
        "category",
        "birth_year",
        "channel",
        "handle",
        "consent",
        "",
    ];
    errors.0.sort_by_key(|e| {
        ORDER
            .iter()
            .position(|f| *f == e.field)
            .unwrap_or(ORDER.len())
    });
    if !errors.is_empty() {
        return register_page(&visitor, draft, phone, errors);
    }
    if !phone.phone.is_empty() {
        // A new number registers verified; a known one signs its participant in (the fields
        // typed here change nothing of theirs).
        return match crate::verification::verify_code(
            &state,
            &phone.phone,
            &phone.code,
            Some(&new),
            unverified(&visitor),
        )
        .await
        {
            Ok(crate::verification::Verified {
                token: Some(token), ..
            }) => signed_in_redirect(&visitor, &token, &safe_next(&draft.next, &visitor)),
            Ok(_) => view::see_other(&safe_next(&draft.next, &visitor)),
            Err(e) if e.code == mosharekat_api::ErrorCode::Internal => {
                view::server_error(&visitor, StoreError::Corrupt(e.message))
            }
            Err(e) => {
                let (field, text) = verification_error(&visitor, &e);
                errors.add(field, text);
                register_page(&visitor, draft, phone, errors)
            }
        };
    }
    let token = crate::auth::random_token();
    match state
        .store
        .create_participant(&new, &crate::auth::token_hash(&token), now)
        .await
    {
        Ok(_) => signed_in_redirect(&visitor, &token, &safe_next(&draft.next, &visitor)),
        Err(e) => view::server_error(&visitor, e),
    }
}

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
pub struct SignInPage {
    pub c: Chrome,
    pub action: String,
    pub next: String,
    pub errors: FormErrors,
    pub register_href: String,
    pub phone: PhoneStep,
}

fn sign_in_page(visitor: &Visitor, next: String, phone: PhoneStep, errors: FormErrors) -> Response {
    let title = visitor
        .lang
        .catalogue()
        .text("portal.sign_in.title")
        .to_owned();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    html(
        status,
        &SignInPage {
            c: Chrome::new(visitor, &title, "sign_in"),
            action: visitor.href("/sign-in"),
            next,
            errors,
            register_href: visitor.href("/register"),
            phone,
        },
    )
}

/// `GET /{lang}/sign-in[?next=]`
pub async fn sign_in_form(visitor: Visitor, PageQuery(q): PageQuery<NextQuery>) -> Response {
    sign_in_page(
        &visitor,
        q.next.unwrap_or_default(),
        PhoneStep::default(),
        FormErrors::default(),
    )
}

/// `POST /{lang}/sign-in`: `key` (the participant key given at registration).
pub async fn sign_in_post(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(fields): Form<Fields>,
) -> Response {
    if let Some(refused) = visitor.refuse_post(field(&fields, CSRF_FIELD)) {
        return refused;
    }
    let next = field(&fields, "next").to_owned();
    let mut phone = PhoneStep::from_fields(&fields);
    let mut errors = FormErrors::default();
    if field(&fields, "step") == "send_code" {
        phone.send_code(&state, &visitor, &mut errors).await;
        return sign_in_page(&visitor, next, phone, errors);
    }
    let key = field(&fields, "key").trim();
    if key.is_empty() && !phone.phone.is_empty() {
        if phone.code.is_empty() {
            errors.add(
                "code",
                visitor.lang.catalogue().text("portal.error_code.no_code"),
            );
            return sign_in_page(&visitor, next, phone, errors);
        }
        return match crate::verification::verify_code(
            &state,
            &phone.phone,
            &phone.code,
            None,
            unverified(&visitor),
        )
        .await
        {
            Ok(crate::verification::Verified {
                token: Some(token), ..
            }) => signed_in_redirect(&visitor, &token, &safe_next(&next, &visitor)),
            Ok(_) => view::see_other(&safe_next(&next, &visitor)),
            Err(e) if e.code == mosharekat_api::ErrorCode::Internal => {
                view::server_error(&visitor, StoreError::Corrupt(e.message))
            }
            Err(e) => {
                let (field, text) = verification_error(&visitor, &e);
                errors.add(field, text);
                sign_in_page(&visitor, next, phone, errors)
            }
        };
    }
    let found = if key.is_empty() {
        None
    } else {
        match state
            .store
            .participant_by_token(&crate::auth::token_hash(key))
            .await
        {
            Ok(found) => found,
            Err(e) => return view::server_error(&visitor, e),
        }
    };
    match found {
        Some(_) => signed_in_redirect(&visitor, key, &safe_next(&next, &visitor)),
        None => {
            let message = if key.is_empty() {
                "portal.sign_in.error.empty"
            } else {
                "portal.sign_in.error.unknown"
            };
            errors.add("key", visitor.lang.catalogue().text(message));
            sign_in_page(&visitor, next, phone, errors)
        }
    }
}

/// `POST /{lang}/sign-out`: forget the session cookie.
pub async fn sign_out(visitor: Visitor, Form(fields): Form<Fields>) -> Response {
    if let Some(refused) = visitor.refuse_post(field(&fields, CSRF_FIELD)) {
        return refused;
    }
    let mut response = view::see_other(&visitor.href("/"));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, visitor.secure),
    );
    response
}

pub struct MyComment {
    pub href: String,
    pub consultation: String,
    pub body: String,
    pub status: String,
    pub status_code: &'static str,
    pub reason: Option<String>,
    pub date: String,
    pub proposal: bool,
}

pub struct MyBallot {
    pub href: String,
    pub question: String,
    pub consultation: String,
    pub choices: String,
    pub date: String,
}

pub struct MyContribution {
    pub kind: String,
    pub points: String,
    pub consultation: String,
    pub date: String,
}

pub struct MyCertificate {
    pub kind: String,
    pub status: String,
    pub consultation: String,
    pub verify_href: Option<String>,
}

/// The Bale bot on my page: linked, or the deep link and code that link a chat.
pub struct MyBale {
    pub linked: bool,
    pub url: String,
    pub code: String,
    pub expires: String,
}

#[derive(Template)]
#[template(path = "portal/me.html")]
pub struct MyPage {
    pub c: Chrome,
    pub name: String,
    pub welcome: bool,
    pub key: String,
    /// Shown when the server has a Bale bot.
    pub bale: Option<MyBale>,
    pub comments: Vec<MyComment>,
    /// The first page of my comments, when this is a later one.
    pub comments_first: Option<String>,
    /// The next page of my comments (`?after=` the last id shown), when there are more.
    pub comments_next: Option<String>,
    pub ballots: Vec<MyBallot>,
    pub score: String,
    pub contributions: Vec<MyContribution>,
    pub certificates: Vec<MyCertificate>,
}

/// Most of each list shown on the page; my comments come in pages of this many.
const MY_LIMIT: u32 = 100;

#[derive(Debug, Default, serde::Deserialize)]
pub struct MyQuery {
    welcome: Option<String>,
    /// Keyset cursor of my comments: those with a greater id.
    after: Option<i64>,
}

/// `GET /{lang}/me[?after=ID]`: the signed-in participant's own page (never cached), their
/// comments oldest first, [`MY_LIMIT`] to a page.
pub async fn my_page(
    State(state): State<AppState>,
    visitor: Visitor,
    PageQuery(q): PageQuery<MyQuery>,
) -> Response {
    let Some(participant) = &visitor.participant else {
        let next = percent_encoding::utf8_percent_encode(
            &visitor.href("/me"),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        return view::see_other(&visitor.href(&format!("/sign-in?next={next}")));
    };
    match build_my_page(&state, &visitor, participant.id, &q).await {
        Ok(page) => {
            let mut response = html(StatusCode::OK, &page);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => view::server_error(&visitor, e),
    }
    .into_response()
}

async fn build_my_page(
    state: &AppState,
    visitor: &Visitor,
    participant_id: i64,
    q: &MyQuery,
) -> Result<MyPage, StoreError> {
    let lang = visitor.lang;
    let cat = lang.catalogue();
    let now = state.now();
    let mut titles = std::collections::HashMap::<i64, String>::new();
    let mut title = async |id: i64| -> Result<String, StoreError> {
        if let Some(t) = titles.get(&id) {
            return Ok(t.clone());
        }
        let t = state
            .store
            .get_consultation(id, now)
            .await?
            .map(|c| lang.pick(&c.title_fa, &c.title_en).to_owned())
            .unwrap_or_else(|| {
                cat.format("portal.consultation_number", &[("id", &cat.number(id))])
            });
        titles.insert(id, t.clone());
        Ok(t)
    };
    let reasons = crate::reasons::all();
    // One more than a page: whether there is a next page without an empty last one.
    let mut raw = state
        .store
        .list_comments(
            &CommentFilter {
                participant_id: Some(participant_id),
                after: q.after,
                limit: MY_LIMIT + 1,
                ..CommentFilter::default()
            },
            now,
        )
        .await?;
    let more = raw.len() > MY_LIMIT as usize;
    raw.truncate(MY_LIMIT as usize);
    let comments_next = raw
        .last()
        .filter(|_| more)
        .map(|last| visitor.href(&format!("/me?after={}#my-comments", last.id)));
    let comments_first = q.after.map(|_| visitor.href("/me#my-comments"));
    let mut comments = Vec::with_capacity(raw.len());
    for c in raw {
        let reason = match (c.status, &c.decision) {
            (CommentStatus::Rejected | CommentStatus::Hidden, Some(d)) => {
                d.reason_code.as_deref().map(|code| {
                    reasons
                        .iter()
                        .find(|r| r.code == code)
                        .map(|r| lang.pick(&r.label_fa, &r.label_en).to_owned())
                        .unwrap_or_else(|| code.to_owned())
                })
            }
            _ => None,
        };
        let href = if c.status == CommentStatus::Approved {
            visitor.href(&format!("/c/{}#comment-{}", c.consultation_id, c.id))
        } else {
            visitor.href(&format!("/c/{}", c.consultation_id))
        };
        comments.push(MyComment {
            href,
            consultation: title(c.consultation_id).await?,
            body: c.body,
            status: cat
                .text(&format!("comment_status.{}", c.status.as_str()))
                .to_owned(),
            status_code: c.status.as_str(),
            reason,
            date: long_date(c.created_at, cat),
            proposal: c.is_proposal,
        });
    }

    let mut ballots = Vec::new();
    for b in state.store.participant_ballots(participant_id).await? {
        let Some(poll) = state.store.get_poll(b.poll_id).await? else {
            continue;
        };
        let choices = poll
            .options
            .iter()
            .filter(|o| b.option_ids.contains(&o.id))
            .map(|o| lang.pick(&o.label_fa, &o.label_en).to_owned())
            .collect::<Vec<_>>()
            .join(cat.text("portal.list_separator"));
        ballots.push(MyBallot {
            href: visitor.href(&format!("/c/{}/poll/{}", b.consultation_id, b.poll_id)),
            question: lang.pick(&poll.question_fa, &poll.question_en).to_owned(),
            consultation: title(b.consultation_id).await?,
            choices,
            date: long_date(b.updated_at, cat),
        });
    }

    let (score, contributions) = match state.store.participant_score(participant_id).await? {
        Some(s) => {
            let mut contributions = Vec::with_capacity(s.contributions.len());
            for k in &s.contributions {
                contributions.push(MyContribution {
                    kind: cat
                        .text(&format!("pane.ranking.kind.{}", k.kind.as_str()))
                        .to_owned(),
                    points: view::plural(cat, "portal.points", k.points),
                    consultation: title(k.consultation_id).await?,
                    date: long_date(k.earned_at, cat),
                });
            }
            (view::plural(cat, "portal.points", s.total), contributions)
        }
        None => (view::plural(cat, "portal.points", 0), Vec::new()),
    };

    let mut certificates = Vec::new();
    for cert in state
        .store
        .list_certificates(&CertificateFilter {
            participant_id: Some(participant_id),
            limit: MY_LIMIT,
            ..CertificateFilter::default()
        })
        .await?
    {
        // Proposed and rejected certificates are the staff's business until issued.
        use mosharekat_api::CertificateStatus as S;
        if !matches!(cert.status, S::Approved | S::Revoked) {
            continue;
        }
        certificates.push(MyCertificate {
            kind: cat
                .text(&format!("certificate_kind.{}", cert.kind.as_str()))
                .to_owned(),
            status: cat
                .text(&format!("certificate_status.{}", cert.status.as_str()))
                .to_owned(),
            consultation: lang
                .pick(&cert.consultation_title_fa, &cert.consultation_title_en)
                .to_owned(),
            verify_href: cert
                .verification_code
                .as_deref()
                .map(|code| visitor.href(&format!("/verify/{code}"))),
        });
    }

    // A linked, running chat says so; otherwise a fresh one-time code (the one shown before stops
    // working). Without a reachable bot the section is left out.
    let bale = match &state.bot {
        None => None,
        Some(bot) => match state
            .store
            .participant_link(participant_id, mosharekat_api::Channel::Bale)
            .await?
        {
            Some(link) if !link.stopped => Some(MyBale {
                linked: true,
                url: String::new(),
                code: String::new(),
                expires: String::new(),
            }),
            _ => match crate::bot::new_link_code(state, bot, participant_id).await {
                Ok(link) => Some(MyBale {
                    linked: false,
                    url: link.url,
                    code: link.code,
                    expires: cat.format(
                        "portal.me.bale_expires",
                        &[(
                            "minutes",
                            &cat.number(crate::bot::LINK_CODE_TTL.num_minutes()),
                        )],
                    ),
                }),
                Err(crate::bot::LinkCodeError::Store(e)) => return Err(e),
                Err(crate::bot::LinkCodeError::Bale(e)) => {
                    tracing::warn!("bale bot: {e}");
                    None
                }
            },
        },
    };
    let name = visitor
        .participant
        .as_ref()
        .map(|p| p.display_name.clone())
        .unwrap_or_default();
    let heading = cat.text("portal.me.title").to_owned();
    Ok(MyPage {
        c: Chrome::new(visitor, &heading, "me"),
        name,
        welcome: q.welcome.is_some(),
        key: visitor.token.clone().unwrap_or_default(),
        bale,
        comments,
        comments_first,
        comments_next,
        ballots,
        score,
        contributions,
        certificates,
    })
}
