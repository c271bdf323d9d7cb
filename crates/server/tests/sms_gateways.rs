//! The SMS gateways' verify calls against local fakes speaking Kavenegar's and SMS.ir's formats.

mod support;

use std::time::Duration;

use mosharekat_api::PhoneNumber;
use mosharekat_server::delivery::sms::{SmsError, SmsGateway};
use mosharekat_server::{SmsConfig, SmsProvider};
use support::{FakeSms, SMS_API_KEY, SmsReceived};

fn gateway(fake: &FakeSms) -> SmsGateway {
    let mut config = support::config("sqlite::memory:");
    fake.configure(&mut config);
    SmsGateway::from_config(&config.sms, Duration::from_secs(5))
        .unwrap()
        .expect("a provider is configured")
}

async fn sends_refuses_and_fails(provider: SmsProvider) {
    let fake = FakeSms::start(provider).await;
    let sms = gateway(&fake);
    let phone = PhoneNumber::parse("+98 912 345 6789").unwrap();

    let sent = sms.send_code(&phone, "482913").await.unwrap();
    assert!(sent.message_id.is_some());
    let template = match provider {
        SmsProvider::Kavenegar => support::KAVENEGAR_TEMPLATE,
        SmsProvider::SmsIr => support::SMSIR_TEMPLATE,
    };
    assert_eq!(
        fake.received(),
        vec![SmsReceived {
            api_key: SMS_API_KEY.into(),
            receptor: "09123456789".into(),
            code: "482913".into(),
            template: template.into(),
            accepted: true,
        }]
    );

    // The gateway's own refusal (Kavenegar 418: no credit; SMS.ir: a status other than 1), then
    // an outage.
    let refusal = match provider {
        SmsProvider::Kavenegar => 418,
        SmsProvider::SmsIr => 10,
    };
    fake.fail_next(&[refusal, 0]);
    let err = sms.send_code(&phone, "111111").await.unwrap_err();
    assert!(
        matches!(err, SmsError::Refused { status, .. } if status == refusal),
        "{err:?}"
    );
    let err = sms.send_code(&phone, "222222").await.unwrap_err();
    assert!(matches!(err, SmsError::Unavailable(_)), "{err:?}");
    assert!(!err.to_string().contains(SMS_API_KEY), "{err}");
    assert_eq!(fake.received().len(), 3);
    assert_eq!(fake.last_code("09123456789").as_deref(), Some("482913"));

    // Nothing listening: unavailable, and the key (in Kavenegar's path) not in the error.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let config = SmsConfig {
        provider: Some(provider),
        api_key: Some(SMS_API_KEY.into()),
        base_url: Some(format!("http://{closed}")),
        template: Some(template.into()),
        ..Default::default()
    };
    let sms = SmsGateway::from_config(&config, Duration::from_secs(5))
        .unwrap()
        .unwrap();
    let err = sms.send_code(&phone, "333333").await.unwrap_err();
    assert!(matches!(err, SmsError::Unavailable(_)), "{err:?}");
    assert!(!err.to_string().contains("sms-test-key"), "{err}");
    assert!(!format!("{sms:?}").contains("sms-test-key"));
}

#[tokio::test]
async fn kavenegar_verify_lookup() {
    sends_refuses_and_fails(SmsProvider::Kavenegar).await;
}

#[tokio::test]
async fn smsir_verify() {
    sends_refuses_and_fails(SmsProvider::SmsIr).await;
}

#[test]
fn configuration_errors() {
    let none = SmsGateway::from_config(&SmsConfig::default(), Duration::from_secs(1)).unwrap();
    assert!(none.is_none());
    let config = SmsConfig {
        provider: Some(SmsProvider::SmsIr),
        api_key: Some("k".into()),
        template: Some("verify".into()),
        ..Default::default()
    };
    let err = SmsGateway::from_config(&config, Duration::from_secs(1)).unwrap_err();
    assert!(err.to_string().contains("numeric id"), "{err}");
    let config = SmsConfig {
        provider: Some(SmsProvider::Kavenegar),
        template: Some("verify".into()),
        ..Default::default()
    };
    assert!(SmsGateway::from_config(&config, Duration::from_secs(1)).is_err());
}
