//! A hit's stored fields, read straight from the bytes tantivy's document store keeps for it.
//!
//! tantivy's generic reader builds a whole `TantivyDocument`: it copies every value, checks
//! each string with the standard library's validator and reads a bytes value one byte at a time,
//! for every hit of every search (a large share of the server's time under load, in `perf`'s
//! profile). A hit needs a few short
//! strings and the body, and only to read them. This reads the store's binary layout, which the
//! pinned tantivy writes: a vint count of values, then for each value its field id (u32, little
//! endian), a type code, and for text and bytes a vint length and the bytes, for u64 eight
//! bytes. Any other type, or a value running past the end, is an error, never a guess; the test
//! below reads every document of an index both ways.
//!
//! A document is found in the store the same way ([`Store`]). tantivy's reader walks its skip
//! index from the top for every document, decoding a block of checkpoints at each level, work
//! repeated for every hit although the index never changes; the store's blocks are read
//! once here, when the index is opened, into a table that a binary search answers. The file's
//! layout, as the pinned tantivy writes it: the compressed blocks; the skip index, whose last
//! level holds one checkpoint a block (the documents and bytes it spans); a footer of 28 bytes
//! (the store's version, u32, where the skip index starts, u64, the compressor's id, u8, and
//! zeroes). A block, once decompressed, is its documents one after the other, then the offset
//! of each (u32), then their count (u32).
//!
//! `stored` owns those layouts and nothing else: which fields a hit shows is `query`'s.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use lru::LruCache;
use tantivy::directory::{Directory, OwnedBytes};
use tantivy::error::DataCorruption;
use tantivy::schema::Field;
use tantivy::{DocId, SegmentReader, TantivyError};

/// The store's version that this reads (tantivy's `DocStoreVersion::V2`).
const STORE_VERSION: u32 = 2;
/// The bytes of the store's footer.
const FOOTER_BYTES: usize = 28;
/// The compressors' ids in the footer: none, and LZ4 (the index's setting).
const NONE_ID: u8 = 0;
const LZ4_ID: u8 = 1;

/// Each block of a store: the documents it holds and where its bytes lie among the blocks, in
/// the order of the documents.
type Table = Vec<(Range<DocId>, Range<usize>)>;

/// One segment's document store: its blocks, where each lies, and the last ones decompressed.
pub(super) struct Store {
    /// The compressed blocks, one after the other.
    blocks: OwnedBytes,
    /// Where each block lies in `blocks`.
    table: Table,
    /// Whether the blocks are LZ4-compressed (else stored as they are).
    lz4: bool,
    /// Blocks decompressed lately, by their place in `table`.
    cache: Mutex<LruCache<usize, OwnedBytes>>,
    /// The store's file, for error messages.
    path: PathBuf,
}

impl Store {
    /// Opens the store of `segment`, one of the segments of `index`, keeping up to `cached`
    /// decompressed blocks.
    pub fn open(
        index: &tantivy::Index,
        segment: &SegmentReader,
        cached: NonZeroUsize,
    ) -> tantivy::Result<Store> {
        let path = PathBuf::from(format!("{}.store", segment.segment_id().uuid_string()));
        let file = index
            .directory()
            .open_read(Path::new(&path))?
            .read_bytes()?;
        let broken = |what: &str| {
            TantivyError::DataCorruption(DataCorruption::new(path.clone(), what.to_owned()))
        };
        let (blocks, table, lz4) = layout_of_store(&file).map_err(broken)?;
        Ok(Store {
            blocks: file.slice(blocks),
            table,
            lz4,
            cache: Mutex::new(LruCache::new(cached)),
            path,
        })
    }

    /// The bytes of document `doc`.
    fn document(&self, doc: DocId) -> tantivy::Result<OwnedBytes> {
        let at = self.table.partition_point(|(docs, _)| docs.end <= doc);
        let broken = |what: String| {
            TantivyError::DataCorruption(DataCorruption::new(self.path.clone(), what))
        };
        let (docs, bytes) = self
            .table
            .get(at)
            .ok_or_else(|| broken(format!("no document {doc}")))?;
        let block = self.block(at, bytes.clone()).map_err(broken)?;
        let range = place_in_block(&block, doc - docs.start)
            .ok_or_else(|| broken(format!("block {at} does not hold document {doc}")))?;
        Ok(block.slice(range))
    }

    /// Block `at` of the table, whose compressed bytes are `bytes`, decompressed.
    fn block(&self, at: usize, bytes: Range<usize>) -> Result<OwnedBytes, String> {
        if let Some(block) = self.cached().get(&at) {
            return Ok(block.clone());
        }
        let compressed = &self.blocks[bytes];
        let block = if self.lz4 {
            let (size, rest) = compressed
                .split_first_chunk::<4>()
                .ok_or_else(|| format!("block {at} is too short"))?;
            let size = u32::from_le_bytes(*size) as usize;
            lz4_flex::block::decompress(rest, size).map_err(|e| format!("block {at}: {e}"))?
        } else {
            compressed.to_vec()
        };
        let block = OwnedBytes::new(block);
        self.cached().put(at, block.clone());
        Ok(block)
    }

    fn cached(&self) -> std::sync::MutexGuard<'_, LruCache<usize, OwnedBytes>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where, in a store's file, its blocks lie, the table of its blocks and whether they are
/// LZ4-compressed; or what is wrong with it.
fn layout_of_store(file: &[u8]) -> Result<(Range<usize>, Table, bool), &'static str> {
    let footer_at = file
        .len()
        .checked_sub(FOOTER_BYTES)
        .ok_or("shorter than its footer")?;
    let footer = &file[footer_at..];
    let version = u32::from_le_bytes(footer[..4].try_into().map_err(|_| "no version")?);
    if version != STORE_VERSION {
        return Err("a store version this build does not read");
    }
    let skip_at = u64::from_le_bytes(footer[4..12].try_into().map_err(|_| "no offset")?);
    let skip_at = usize::try_from(skip_at)
        .ok()
        .filter(|&at| at <= footer_at)
        .ok_or("its skip index starts past its end")?;
    let lz4 = match footer[12] {
        LZ4_ID => true,
        NONE_ID => false,
        _ => return Err("a compressor this build does not read"),
    };
    let skip = &file[skip_at..footer_at];
    let table = blocks_of_skip_index(skip).ok_or("its skip index is broken")?;
    let spans_blocks = table.iter().all(|(_, bytes)| bytes.end <= skip_at);
    let doc_ranges_follow = table
        .iter()
        .zip(table.iter().skip(1))
        .all(|((a, _), (b, _))| a.end == b.start);
    if !(spans_blocks && doc_ranges_follow && table.first().is_none_or(|(docs, _)| docs.start == 0))
    {
        return Err("its skip index does not fit its blocks");
    }
    Ok((0..skip_at, table, lz4))
}

/// The checkpoints of the last level of a skip index: one a block, in order.
fn blocks_of_skip_index(skip: &[u8]) -> Option<Table> {
    // The end of each level's bytes, from the top level down, after this list.
    let mut at = 0;
    let levels = vint(skip, &mut at)?;
    let mut ends = Vec::new();
    for _ in 0..levels {
        ends.push(usize::try_from(vint(skip, &mut at)?).ok()?);
    }
    let data = &skip[at..];
    let start = ends.len().checked_sub(2).map_or(0, |i| ends[i]);
    let level = data.get(start..ends.last().copied().unwrap_or(0))?;
    // Blocks of checkpoints: a count, the first document and byte, then each checkpoint's
    // number of documents and of bytes.
    let mut table = Vec::new();
    let mut at = 0;
    while at < level.len() {
        let count = vint(level, &mut at)?;
        if count == 0 {
            continue;
        }
        let mut doc = DocId::try_from(vint(level, &mut at)?).ok()?;
        let mut byte = usize::try_from(vint(level, &mut at)?).ok()?;
        for _ in 0..count {
            let docs = DocId::try_from(vint(level, &mut at)?).ok()?;
            let bytes = usize::try_from(vint(level, &mut at)?).ok()?;
            table.push((doc..doc.checked_add(docs)?, byte..byte.checked_add(bytes)?));
            doc += docs;
            byte += bytes;
        }
    }
    Some(table)
}

/// Where the `nth` document of a decompressed block lies in it.
fn place_in_block(block: &[u8], nth: DocId) -> Option<Range<usize>> {
    let u32_at =
        |at: usize| Some(u32::from_le_bytes(block.get(at..at + 4)?.try_into().ok()?) as usize);
    let count = u32_at(block.len().checked_sub(4)?)?;
    let offsets_at = block.len().checked_sub((count + 1).checked_mul(4)?)?;
    let nth = nth as usize;
    if nth >= count {
        return None;
    }
    let start = u32_at(offsets_at + 4 * nth)?;
    let end = if nth + 1 < count {
        u32_at(offsets_at + 4 * (nth + 1))?
    } else {
        offsets_at
    };
    (start <= end && end <= offsets_at).then_some(start..end)
}

/// The store's type codes of the values our schema stores (tantivy `schema::document::type_codes`).
const TEXT_CODE: u8 = 0;
const U64_CODE: u8 = 1;
const BYTES_CODE: u8 = 4;

/// One document's stored values, borrowed from the store's cached block.
pub(super) struct Stored {
    bytes: OwnedBytes,
    /// Each text or bytes value: its field and where it lies in `bytes`, in stored order.
    values: Vec<(Field, Range<usize>)>,
}

impl Stored {
    /// Reads document `doc` of the segment whose store is `store`.
    pub fn read(store: &Store, doc: DocId) -> tantivy::Result<Stored> {
        let bytes = store.document(doc)?;
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
    use tantivy::store::Compressor;
    use tantivy::{doc, Index, IndexSettings, TantivyDocument};

    fn store_of(index: &Index, segment: &SegmentReader) -> Store {
        Store::open(index, segment, NonZeroUsize::new(2).unwrap()).unwrap()
    }

    /// Documents of many sizes: with a small cache, a store of hundreds of blocks, whose skip
    /// index has three levels.
    fn many_documents(body: Field, number: Field) -> Vec<TantivyDocument> {
        (0..3000u64)
            .map(|n| {
                let text = format!("Văn bản số {n}: ").repeat((n % 97) as usize);
                doc!(body => text.into_bytes(), number => n)
            })
            .collect()
    }

    fn assert_reads_every_document_as_tantivy(compressor: Compressor) {
        let mut b = Schema::builder();
        let body = b.add_bytes_field("body", STORED);
        let number = b.add_u64_field("number", STORED);
        let index = index_compressed(many_documents(body, number), b.build(), compressor);
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let (ours, theirs) = (
            store_of(&index, segment),
            segment.get_store_reader(2).unwrap(),
        );
        assert!(ours.table.len() > 64, "{} blocks", ours.table.len());
        // Forwards, then backwards, so that the small cache is missed as well as hit.
        for id in (0..segment.max_doc()).chain((0..segment.max_doc()).rev()) {
            let expected = theirs.get_document_bytes(id).unwrap();
            assert_eq!(
                ours.document(id).unwrap().as_slice(),
                expected.as_slice(),
                "document {id}"
            );
        }
        assert!(ours.document(segment.max_doc()).is_err());
    }

    fn index_of(docs: Vec<TantivyDocument>, schema: Schema) -> Index {
        index_compressed(docs, schema, Compressor::Lz4)
    }

    fn index_compressed(
        docs: Vec<TantivyDocument>,
        schema: Schema,
        compressor: Compressor,
    ) -> Index {
        let settings = IndexSettings {
            docstore_compression: compressor,
            ..IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_ram()
            .unwrap();
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
        let (store, theirs) = (
            store_of(&index, segment),
            segment.get_store_reader(10).unwrap(),
        );
        for id in 0..segment.max_doc() {
            let stored = Stored::read(&store, id).unwrap();
            let theirs: TantivyDocument = theirs.get(id).unwrap();
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
    fn every_document_of_a_store_of_many_compressed_blocks_is_found_as_tantivy_finds_it() {
        assert_reads_every_document_as_tantivy(Compressor::Lz4);
    }

    #[test]
    fn every_document_of_a_store_of_uncompressed_blocks_is_found_as_tantivy_finds_it() {
        assert_reads_every_document_as_tantivy(Compressor::None);
    }

    #[test]
    fn a_store_whose_footer_is_damaged_is_an_error_not_a_guess() {
        let mut b = Schema::builder();
        let body = b.add_bytes_field("body", STORED);
        let number = b.add_u64_field("number", STORED);
        let index = index_of(many_documents(body, number), b.build());
        let searcher = index.reader().unwrap().searcher();
        let segment = &searcher.segment_readers()[0];
        let path = format!("{}.store", segment.segment_id().uuid_string());
        let file = index.directory().open_read(Path::new(&path)).unwrap();
        let file = file.read_bytes().unwrap().as_slice().to_vec();
        assert!(layout_of_store(&file).is_ok());
        let footer = file.len() - FOOTER_BYTES;
        for (at, value) in [(footer, 9u8), (footer + 11, 0x7f), (footer + 12, 4)] {
            let mut damaged = file.clone();
            damaged[at] = value;
            assert!(
                layout_of_store(&damaged).is_err(),
                "byte {at} set to {value}"
            );
        }
        assert!(layout_of_store(&file[..20]).is_err());
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
        let store = store_of(&index, &searcher.segment_readers()[0]);
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
        let store = store_of(&index, &searcher.segment_readers()[0]);
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
