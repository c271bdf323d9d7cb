//! Two versions of a draft compared article by article.

use std::collections::HashMap;

use mosharekat_api::{ArticleChange, ArticleChangeKind, DraftDiff, DraftVersion};

/// Compares two versions. Articles are matched by number (the n-th article numbered 3 in one with
/// the n-th numbered 3 in the other, for drafts whose numbering starts again); a matched pair is
/// `unchanged` when everything but its id and place is equal (text, heading, chapter, clauses and
/// notes in both languages), `changed` otherwise. The list follows the newer version, each removed
/// article where it stood in the older one.
pub fn diff(from: &DraftVersion, to: &DraftVersion) -> DraftDiff {
    let key_list = |v: &DraftVersion| {
        let mut seen: HashMap<u32, usize> = HashMap::new();
        v.articles
            .iter()
            .map(|a| {
                let n = seen.entry(a.content.number).or_default();
                *n += 1;
                (a.content.number, *n)
            })
            .collect::<Vec<_>>()
    };
    let (from_keys, to_keys) = (key_list(from), key_list(to));
    let from_at: HashMap<(u32, usize), usize> =
        from_keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut emitted = vec![false; from.articles.len()];
    let mut articles = Vec::with_capacity(to.articles.len());
    let removed = |i: usize| ArticleChange {
        number: from.articles[i].content.number,
        change: ArticleChangeKind::Removed,
        from: Some(from.articles[i].clone()),
        to: None,
    };
    for (new, key) in to.articles.iter().zip(&to_keys) {
        match from_at.get(key) {
            Some(&i) => {
                for (j, done) in emitted.iter_mut().enumerate().take(i) {
                    if !*done && !to_keys.contains(&from_keys[j]) {
                        *done = true;
                        articles.push(removed(j));
                    }
                }
                emitted[i] = true;
                let old = &from.articles[i];
                articles.push(ArticleChange {
                    number: new.content.number,
                    change: if old.content == new.content {
                        ArticleChangeKind::Unchanged
                    } else {
                        ArticleChangeKind::Changed
                    },
                    from: Some(old.clone()),
                    to: Some(new.clone()),
                });
            }
            None => articles.push(ArticleChange {
                number: new.content.number,
                change: ArticleChangeKind::Added,
                from: None,
                to: Some(new.clone()),
            }),
        }
    }
    for (j, done) in emitted.iter().enumerate() {
        if !done {
            articles.push(removed(j));
        }
    }
    DraftDiff {
        consultation_id: to.consultation_id,
        from_version: from.version,
        to_version: to.version,
        preamble_changed: (&from.preamble_fa, &from.preamble_en)
            != (&to.preamble_fa, &to.preamble_en),
        closing_changed: (&from.closing_fa, &from.closing_en) != (&to.closing_fa, &to.closing_en),
        articles,
    }
}

#[cfg(test)]
mod tests {
    use mosharekat_api::{Article, DraftFormat};

    use super::*;
    use crate::{pair, parse};

    fn version(n: i64, text: &str, first_id: i64) -> DraftVersion {
        let content = pair(parse(text, DraftFormat::Text), None, DraftFormat::Text).unwrap();
        DraftVersion {
            consultation_id: 1,
            version: n,
            imported_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            imported_by: Some("op".into()),
            format: DraftFormat::Text,
            preamble_fa: content.preamble_fa,
            preamble_en: None,
            closing_fa: content.closing_fa,
            closing_en: None,
            articles: content
                .articles
                .into_iter()
                .enumerate()
                .map(|(i, content)| Article {
                    id: first_id + i as i64,
                    position: i as u32,
                    content,
                })
                .collect(),
        }
    }

    fn kinds(d: &DraftDiff) -> Vec<(u32, &'static str)> {
        d.articles
            .iter()
            .map(|a| (a.number, a.change.as_str()))
            .collect()
    }

    #[test]
    fn added_removed_changed_and_unchanged_in_order() {
        let old = version(1, "ماده ۱ - یک\nماده ۲ - دو\nماده ۳ - سه", 1);
        let new = version(2, "ماده ۱ - یک\nماده ۳ - سه تغییر کرد\nماده ۴ - چهار", 10);
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            [
                (1, "unchanged"),
                (2, "removed"),
                (3, "changed"),
                (4, "added")
            ]
        );
        assert_eq!(d.articles[2].from.as_ref().unwrap().content.text_fa, "سه");
        assert_eq!(
            d.articles[2].to.as_ref().unwrap().content.text_fa,
            "سه تغییر کرد"
        );
        assert!(!d.preamble_changed);
    }

    #[test]
    fn a_new_note_changes_its_article() {
        let old = version(1, "ماده ۱ - یک", 1);
        let new = version(2, "ماده ۱ - یک\nتبصره - تازه", 2);
        assert_eq!(kinds(&diff(&old, &new)), [(1, "changed")]);
    }

    #[test]
    fn removed_articles_at_the_end_come_last() {
        let old = version(1, "ماده ۱ - یک\nماده ۲ - دو", 1);
        let new = version(2, "مقدمه تازه\nماده ۱ - یک", 3);
        let d = diff(&old, &new);
        assert_eq!(kinds(&d), [(1, "unchanged"), (2, "removed")]);
        assert!(d.preamble_changed);
    }
}
