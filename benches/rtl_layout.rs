//! Speed of the RTL text engine (`mosharekat-rtl`): a full 200×60 screen of Persian
//! paragraphs (goal: well under 1 ms), throughput on 1 MB of mixed text, and a 200×60 pane
//! showing the top of that 1 MB (only what is visible is laid out) and sizing its scrollbar.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mosharekat_rtl::{BidiParagraph, LayoutOptions, TextLayout};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Text;
use ratatui::widgets::Widget;

const PERSIAN: &str = "این سند با هدف ایجاد چارچوب مدیریتی منسجم برای استقرار مشارکت الکترونیکی، \
ارتقای کیفیت تصمیم‌سازی و بهبود خدمات عمومی تدوین شده است و همه واحدها موظفند پیش‌نویس \
آیین‌نامه‌ها، لوایح، دستورالعمل‌ها و بخشنامه‌ها را پیش از تصویب نهایی به مدت حداقل ۳۰ روز \
تقویمی برای نظرخواهی عمومی منتشر کنند و گزارش جامع آن را با آمار شرکت‌کنندگان به تفکیک \
سن، جنسیت و استان در پایگاه رسمی قرار دهند. ";

const MIXED: &str = "پیشنهاد می‌کنم مهلت نظرخواهی (comment period) از ۳۰ به ۴۵ روز برسد؛ \
see https://medu.ir/fa/news?id=1403 and info@medu.ir. نرخ مشارکت ۲۰٪ کمتر از سال ۱۴۰۲ بود \
و مصوبه شماره 1403-27 در تاریخ ۱۴۰۳/۳/۱۵ تأیید شد. The English version is still missing.\n";

/// Enough Persian paragraphs to fill 60 rows of 200 columns.
fn screen_text() -> String {
    let paragraph = PERSIAN.repeat(2);
    let mut text = String::new();
    while TextLayout::from_str(&text, Style::new(), 200, &LayoutOptions::default()).rows() < 60 {
        text.push_str(&paragraph);
        text.push('\n');
    }
    text
}

fn screen(c: &mut Criterion) {
    let text = screen_text();
    let mut group = c.benchmark_group("screen_200x60");
    group.measurement_time(Duration::from_secs(5));
    for (name, shaping) in [("layout", false), ("layout_shaped", true)] {
        let options = LayoutOptions::default().with_shaping(shaping);
        group.bench_function(name, |b| {
            b.iter(|| TextLayout::from_str(black_box(&text), Style::new(), 200, &options))
        });
    }
    let area = Rect::new(0, 0, 200, 60);
    let text = Text::from(text.as_str());
    group.bench_function("layout_and_draw", |b| {
        let mut buf = Buffer::empty(area);
        b.iter(|| BidiParagraph::new(black_box(text.clone())).render(area, &mut buf))
    });
    group.finish();
}

/// 1 MB of mixed Persian/English paragraphs.
fn mixed_text() -> String {
    let mut text = String::with_capacity(1 << 20);
    while text.len() < 1 << 20 {
        text.push_str(MIXED);
    }
    text
}

fn throughput(c: &mut Criterion) {
    let text = mixed_text();
    let mut group = c.benchmark_group("mixed_1mb");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    let options = LayoutOptions::default();
    group.bench_function("layout_width_80", |b| {
        b.iter(|| TextLayout::from_str(black_box(&text), Style::new(), 80, &options))
    });
    group.finish();
}

fn pane(c: &mut Criterion) {
    let text = mixed_text();
    let paragraph = BidiParagraph::new(text.as_str());
    let area = Rect::new(0, 0, 200, 60);
    let mut group = c.benchmark_group("pane_1mb");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("draw_top_200x60", |b| {
        let mut buf = Buffer::empty(area);
        b.iter(|| black_box(&paragraph).render(area, &mut buf))
    });
    group.sample_size(10);
    group.bench_function("visual_rows_width_200", |b| {
        b.iter(|| black_box(&paragraph).visual_rows(200))
    });
    group.finish();
}

criterion_group!(benches, screen, throughput, pane);
criterion_main!(benches);
