//! A hit's stored fields, read straight from the bytes tantivy's document store keeps for it.
//!
//! tantivy's generic reader builds a whole `TantivyDocument`: it copies every value, checks
//! each string with the standard library's validator and reads a bytes value one byte at a time
//! (11 % of the server's time under load, measured with `perf`). A hit needs a few short
//! strings and the body, and only to read them. This reads the store's binary layout, which the
//! pinned tantivy writes: a vint count of values, then for each value its field id (u32, little
//! endian), a type code, and for text and bytes a vint length and the bytes, for u64 eight
//! bytes. Any other type, or a value running past the end, is an error, never a guess; the test
//! below reads every document of an index both ways.
//!
//! `stored` owns that layout and nothing else: which fields a hit shows is `query`'s.

use std::ops::Range;

use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{DocId, TantivyError};

/// The store's type codes of the values our schema stores (tantivy `schema::document::type_codes`).
const TEXT_CODE: u8 = 0;
const U64_CODE: u8 = 1;
const BYTES_CODE: u8 = 4;

/// One document's stored values, borrowed from the store's cached block.
pub(super) struct Stored {
    bytes: tantivy::directory::OwnedBytes,
    /// Each text or bytes value: its field and where it lies in `bytes`, in stored order.
    values: Vec<(Field, Range<usize>)>,
}

impl Stored {
    /// Reads document `doc` of the segment whose store is `store`.
    pub fn read(store: &StoreReader, doc: DocId) -> tantivy::Result<Stored> {
        let bytes = store.get_document_bytes(doc)?;
        let values = layout(&bytes).ok_or_else(|| {
            TantivyError::InternalError(format!("stored document {doc} has an unexpected layout"))
        })?;
        Ok(Stored { bytes, values })
    }

    /// The first text or bytes value of `field`, when it is UTF-8; "" when there is none.
    pub fn text(&self, field: Field) -> &str {
        simdutf8::basic::from_utf8(self.bytes(field)).unwrap_or_default()
    }

    /// The first text or bytes value of `field`; empty when there is none.
    pub fn bytes(&self, field: Field) -> &[u8] {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, range)| &self.bytes[range.clone()])
    }
}

/// The text and bytes values of a stored document, or `None` when it holds anything else or
/// ends early.
fn layout(bytes: &[u8]) -> Option<Vec<(Field, Range<usize>)>> {
    let mut at = 0;
    let count = vint(bytes, &mut at)?;
    let mut values = Vec::with_capacity(count.min(64) as usize);
    for _ in 0..count {
        let id = bytes.get(at..at + 4)?;
        let field = Field::from_field_id(u32::from_le_bytes(id.try_into().ok()?));
        let code = *bytes.get(at + 4)?;
        at += 5;
        match code {
            TEXT_CODE | BYTES_CODE => {
                let len = usize::try_from(vint(bytes, &mut at)?).ok()?;
                let end = at.checked_add(len).filter(|&end| end <= bytes.len())?;
                values.push((field, at..end));
                at = end;
            }
            U64_CODE => at = at.checked_add(8).filter(|&end| end <= bytes.len())?,
            _ => return None,
        }
    }
    (at == bytes.len()).then_some(values)
}

/// tantivy's vint: seven bits a byte, low bits first, the last byte's high bit set.
fn vint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 != 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, Value, STORED, STRING};
    use tantivy::{doc, Index, TantivyDocument};

    fn index_of(docs: Vec<TantivyDocument>, schema: Schema) -> Index {
        let index = Index::create_in_ram(schema);
        crate::search::analyzer::register(index.tokenizers());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for d in docs {
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        index
    }

    #[test]
    fn every_stored_value_reads_as_tantivy_reads_it() {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", STRING | STORED);
        let body = b.add_bytes_field("body", STORED);
        let level = b.add_u64_field("level", STORED);
        let unstored = b.add_text_field("unstored", STRING);
        let schema = b.build();
        let long = "Thủ tục đăng ký khai sinh, ".repeat(400);
        let docs = vec![
            doc!(title => "Cấp giấy phép xây dựng", body => long.as_bytes().to_vec(), level => 4u64),
            doc!(level => 3u64, title => "", unstored => "không lưu"),
            doc!(body => Vec::<u8>::new()),
            doc!(title => "một", title => "hai", body => "ừ".as_bytes().to_vec()),
            doc!(),
        ];
        let index = index_of(docs, schema);
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let store = segment.get_store_reader(10).unwrap();
        for id in 0..segment.max_doc() {
            let stored = Stored::read(&store, id).unwrap();
            let theirs: TantivyDocument = store.get(id).unwrap();
            for field in [title, body] {
                let expected = theirs
                    .get_first(field)
                    .and_then(|v| {
                        v.as_str()
                            .or_else(|| v.as_bytes().map(|b| std::str::from_utf8(b).unwrap()))
                    })
                    .unwrap_or_default();
                assert_eq!(
                    stored.text(field),
                    expected,
                    "document {id}, field {field:?}"
                );
            }
        }
    }

    #[test]
    fn every_stored_field_of_the_schema_has_a_known_layout() {
        use tantivy::schema::FieldType;
        let (schema, _) = crate::search::schema::schema();
        let mut document = TantivyDocument::default();
        for (field, entry) in schema.fields().filter(|(_, e)| e.is_stored()) {
            match entry.field_type() {
                FieldType::Str(_) => document.add_text(field, "Sở Tư pháp"),
                FieldType::Bytes(_) => document.add_bytes(field, "Điều 1".as_bytes()),
                FieldType::U64(_) => document.add_u64(field, 4),
                other => panic!(
                    "{}: stored as {other:?}, which `stored` cannot read",
                    entry.name()
                ),
            }
        }
        let index = index_of(vec![document], schema.clone());
        let searcher = index.reader().unwrap().searcher();
        let store = searcher.segment_readers()[0].get_store_reader(10).unwrap();
        let stored = Stored::read(&store, 0).unwrap();
        for (field, entry) in schema.fields().filter(|(_, e)| e.is_stored()) {
            let expected = match entry.field_type() {
                FieldType::Str(_) => "Sở Tư pháp",
                FieldType::Bytes(_) => "Điều 1",
                _ => "",
            };
            assert_eq!(stored.text(field), expected, "{}", entry.name());
        }
    }

    #[test]
    fn a_value_of_another_type_is_an_error() {
        let mut b = Schema::builder();
        let when = b.add_i64_field("when", STORED);
        let index = index_of(vec![doc!(when => -5i64)], b.build());
        let searcher = index.reader().unwrap().searcher();
        let store = searcher.segment_readers()[0].get_store_reader(10).unwrap();
        assert!(Stored::read(&store, 0).is_err());
    }

    #[test]
    fn a_truncated_document_has_no_layout() {
        // Two values announced, one text value of 3 bytes present.
        let mut bytes = vec![0x82, 7, 0, 0, 0, TEXT_CODE, 0x83];
        bytes.extend_from_slice(b"abc");
        assert_eq!(layout(&bytes), None);
        bytes[0] = 0x81;
        assert_eq!(layout(&bytes), Some(vec![(Field::from_field_id(7), 7..10)]));
        bytes.pop();
        assert_eq!(layout(&bytes), None);
    }
}
