//! One stream of an OLE2 compound file (MS-CFB), found as calamine finds it,
//! with where each of its bytes lies in the file, so that the stream can be
//! read, and patched in place in a copy of the file, before calamine reads
//! it.
//!
//! The file is cut into sectors (512 or 4096 bytes) chained by a table (the
//! FAT); small streams (under 4096 bytes) live in 64-byte mini sectors
//! inside the root entry's stream, chained by the mini FAT. calamine
//! follows each chain until it has read the length the directory declares:
//! a chain that loops grows its copy without end (a directory entry may
//! declare 2⁶⁴ bytes), and one that points past the table or the file
//! panics. Here every chain calamine follows is walked first, at most once
//! round: a chain that loops, or names a sector the file or table does not
//! hold, is refused with the chain named.

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const SIGNATURE: &[u8; 8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const MINI_SECTOR: usize = 64;
/// Streams shorter than this are in mini sectors.
const MINI_STREAM_CUTOFF: usize = 4096;

/// A stream's bytes and where they lie in the file.
#[derive(Debug)]
pub struct Stream {
    pub bytes: Vec<u8>,
    /// File offset of each unit (sector or mini sector) of the stream.
    units: Vec<usize>,
    unit: usize,
}

impl Stream {
    /// Write `bytes` at `at` in the stream, into `file` (a copy of the
    /// file the stream was read from), and into the stream's own bytes.
    pub fn patch(&mut self, file: &mut [u8], at: usize, bytes: &[u8]) {
        for (i, &byte) in bytes.iter().enumerate() {
            let position = at + i;
            if let Some(&unit) = self.units.get(position / self.unit) {
                file[unit + position % self.unit] = byte;
                self.bytes[position] = byte;
            }
        }
    }
}

/// The file's sectors and the tables chaining them, as calamine reads them.
struct Compound<'a> {
    file: &'a [u8],
    sector: usize,
    /// The highest sector id calamine reads.
    max_id: usize,
    fat: Vec<u32>,
}

/// The first stream named `names[0]`, else `names[1]` …, as calamine's
/// `Cfb::get_stream` finds it (names compared without case).
pub fn stream(file: &[u8], names: &[&str]) -> Result<Stream, String> {
    let header = file.get(..512).ok_or("shorter than an OLE header")?;
    if &header[..8] != SIGNATURE {
        return Err("no OLE signature".into());
    }
    let sector = match u16_at(header, 30) {
        9 => 512,
        12 => 4096,
        other => return Err(format!("sector shift {other}, neither 9 nor 12")),
    };
    let mut compound = Compound {
        file,
        sector,
        max_id: file.len() / sector,
        fat: Vec::new(),
    };
    compound.fat = compound.fat_of(header)?;
    let directory = compound.chain(u32_at(header, 48), usize::MAX, "directory")?;
    let entries = compound.read(&directory, usize::MAX);
    let entries: Vec<Entry> = entries
        .chunks_exact(128)
        .map(|e| Entry::of(e, sector))
        .collect();
    let root = entries.first().ok_or("empty directory")?;
    // calamine reads the mini stream whenever there is a mini FAT
    let mini = match u32_at(header, 64) as usize {
        0 => None,
        sectors => Some(compound.mini_stream(root, u32_at(header, 60), sectors)?),
    };
    let wanted = names
        .iter()
        .find_map(|name| entries.iter().find(|e| e.name.eq_ignore_ascii_case(name)))
        .ok_or_else(|| format!("no {} stream", names.join(" or ")))?;
    if wanted.len >= MINI_STREAM_CUTOFF {
        let chain = compound.chain(wanted.start, wanted.len, "stream")?;
        return Ok(compound.stream_of(&chain, wanted.len));
    }
    let (ministream, mini_fat) = mini.ok_or("a small stream and no mini FAT")?;
    mini_stream_of(&ministream, &mini_fat, wanted)
}

impl Compound<'_> {
    /// The FAT: the sectors the header's DIFAT and the DIFAT chain name.
    fn fat_of(&self, header: &[u8]) -> Result<Vec<u32>, String> {
        let mut difat: Vec<u32> = header[76..512]
            .chunks_exact(4)
            .map(|b| u32_at(b, 0))
            .collect();
        let mut next = u32_at(header, 68);
        let mut visited = 0usize;
        while next < RESERVED_SECTORS {
            visited += 1;
            if visited > self.max_id + 1 {
                return Err("its DIFAT chain loops".into());
            }
            difat.extend(
                self.sector_bytes(next, "DIFAT")?
                    .chunks_exact(4)
                    .map(|b| u32_at(b, 0)),
            );
            next = difat.pop().ok_or("an empty DIFAT sector")?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|&id| id < DIFSECT) {
            fat.extend(
                self.sector_bytes(id, "FAT")?
                    .chunks_exact(4)
                    .map(|b| u32_at(b, 0)),
            );
        }
        Ok(fat)
    }

    /// The bytes of sector `id`, as far as the file holds them.
    fn sector_bytes(&self, id: u32, chain: &str) -> Result<&[u8], String> {
        let id = id as usize;
        let start = (id + 1) * self.sector;
        if id > self.max_id || start >= self.file.len() {
            return Err(format!(
                "its {chain} chain names sector {id}, beyond the end of the file"
            ));
        }
        Ok(&self.file[start..self.file.len().min(start + self.sector)])
    }

    /// The sectors of the chain from `start`, enough for `len` bytes.
    fn chain(&self, start: u32, len: usize, name: &str) -> Result<Vec<u32>, String> {
        let mut chain = Vec::new();
        let mut seen = vec![false; self.fat.len()];
        let mut next = start;
        let mut held = 0usize;
        while next != ENDOFCHAIN && held < len {
            let bytes = self.sector_bytes(next, name)?;
            held += bytes.len();
            chain.push(next);
            if held >= len {
                break;
            }
            let index = next as usize;
            match seen.get_mut(index) {
                None => return Err(format!("its {name} chain leaves the FAT at sector {next}")),
                Some(true) => return Err(format!("its {name} chain loops at sector {next}")),
                Some(seen) => *seen = true,
            }
            next = self.fat[index];
        }
        Ok(chain)
    }

    /// The first `len` bytes of a chain's sectors.
    fn read(&self, chain: &[u32], len: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &id in chain {
            let sector = self.sector_bytes(id, "").unwrap_or_default();
            let room = len.saturating_sub(bytes.len());
            bytes.extend_from_slice(&sector[..sector.len().min(room)]);
        }
        bytes
    }

    /// The mini stream (the root entry's stream) and the mini FAT of
    /// `sectors` sectors from `start`.
    fn mini_stream(
        &self,
        root: &Entry,
        start: u32,
        sectors: usize,
    ) -> Result<(Stream, Vec<u32>), String> {
        let ministream = self.chain(root.start, root.len, "mini stream")?;
        let ministream = self.stream_of(&ministream, root.len);
        let mini_fat_bytes = sectors.saturating_mul(self.sector);
        let mini_fat = self.chain(start, mini_fat_bytes, "mini FAT")?;
        let mini_fat = self
            .read(&mini_fat, mini_fat_bytes)
            .chunks_exact(4)
            .map(|b| u32_at(b, 0))
            .collect();
        Ok((ministream, mini_fat))
    }

    fn stream_of(&self, chain: &[u32], len: usize) -> Stream {
        Stream {
            bytes: self.read(chain, len),
            units: chain
                .iter()
                .map(|&id| (id as usize + 1) * self.sector)
                .collect(),
            unit: self.sector,
        }
    }
}

/// A stream in mini sectors of the `ministream`.
fn mini_stream_of(ministream: &Stream, mini_fat: &[u32], entry: &Entry) -> Result<Stream, String> {
    let mut stream = Stream {
        bytes: Vec::new(),
        units: Vec::new(),
        unit: MINI_SECTOR,
    };
    let mut seen = vec![false; mini_fat.len()];
    let mut next = entry.start;
    while next != ENDOFCHAIN && stream.bytes.len() < entry.len {
        let start = next as usize * MINI_SECTOR;
        let bytes = ministream
            .bytes
            .get(start..ministream.bytes.len().min(start + MINI_SECTOR))
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                format!("its stream names mini sector {next}, beyond the mini stream")
            })?;
        let room = entry.len - stream.bytes.len();
        stream
            .bytes
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
        stream
            .units
            .push(ministream.units[start / ministream.unit] + start % ministream.unit);
        match seen.get_mut(next as usize) {
            None => return Err(format!("its stream leaves the mini FAT at {next}")),
            Some(true) => return Err(format!("its stream loops at mini sector {next}")),
            Some(seen) => *seen = true,
        }
        next = mini_fat[next as usize];
    }
    Ok(stream)
}

/// A directory entry: name, first sector and declared length.
struct Entry {
    name: String,
    start: u32,
    len: usize,
}

impl Entry {
    fn of(bytes: &[u8], sector: usize) -> Entry {
        let units: Vec<u16> = bytes[..64].chunks_exact(2).map(|b| u16_at(b, 0)).collect();
        let mut name = String::from_utf16_lossy(&units);
        if let Some(end) = name.find('\0') {
            name.truncate(end);
        }
        let len = if sector == 512 {
            u32_at(bytes, 120) as usize
        } else {
            usize::try_from(u64::from_le_bytes(bytes[120..128].try_into().unwrap()))
                .unwrap_or(usize::MAX)
        };
        Entry {
            name,
            start: u32_at(bytes, 116),
            len,
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &[u8] = include_bytes!("../../tests/fixtures/seed.xls");

    #[test]
    fn the_seed_workbook_stream_is_found_and_patched_in_place() {
        let mut stream = stream(SEED, &["Workbook", "Book"]).unwrap();
        assert_eq!(stream.bytes.len(), 69_632);
        // a BOF record opens the stream
        assert_eq!(&stream.bytes[..2], &[0x09, 0x08]);
        let mut copy = SEED.to_vec();
        stream.patch(&mut copy, 0, &[0xAA, 0xBB]);
        let again = super::stream(&copy, &["Workbook"]).unwrap();
        assert_eq!(&again.bytes[..2], &[0xAA, 0xBB]);
        assert_eq!(&stream.bytes[..2], &[0xAA, 0xBB]);
    }

    #[test]
    fn a_chain_that_loops_is_refused() {
        let mut file = SEED.to_vec();
        let found = stream(SEED, &["Workbook"]).unwrap();
        // the FAT's entry for the stream's second sector points back at its first
        let fat_sector = u32_at(&file, 76) as usize;
        let first = (found.units[0] / 512 - 1) as u32;
        let second = found.units[1] / 512 - 1;
        let entry = (fat_sector + 1) * 512 + second * 4;
        file[entry..entry + 4].copy_from_slice(&first.to_le_bytes());
        let error = stream(&file, &["Workbook"]).unwrap_err();
        assert!(error.contains("loops"), "{error}");
    }

    /// A compound file of 512-byte sectors: the FAT, the directory, the
    /// mini FAT, then the mini stream holding `stream` (under 256 bytes)
    /// in four mini sectors chained 0 → 1 → 2 → 3.
    fn small_compound_file(stream: &[u8]) -> Vec<u8> {
        let words = |values: &[u32]| -> Vec<u8> {
            let mut bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            bytes.resize(512, 0xFF);
            bytes
        };
        let mut header = SIGNATURE.to_vec();
        header.resize(512, 0);
        header[26] = 3; // major version
        header[30] = 9; // 512-byte sectors
        header[32] = 6; // 64-byte mini sectors
        header[44] = 1; // one FAT sector
        header[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory
        header[56..60].copy_from_slice(&4096u32.to_le_bytes());
        header[60..64].copy_from_slice(&2u32.to_le_bytes()); // mini FAT
        header[64..68].copy_from_slice(&1u32.to_le_bytes());
        header[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        header[76..512].copy_from_slice(&words(&[0])[..436]);
        let entry = |name: &str, kind: u8, start: u32, len: u32| {
            let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            entry.resize(128, 0);
            entry[64..66].copy_from_slice(&((name.len() as u16 + 1) * 2).to_le_bytes());
            entry[66] = kind;
            entry[116..120].copy_from_slice(&start.to_le_bytes());
            entry[120..124].copy_from_slice(&len.to_le_bytes());
            entry
        };
        let mut directory = entry("Root Entry", 5, 3, 256);
        directory.extend(entry("Workbook", 2, 0, stream.len() as u32));
        directory.resize(512, 0);
        let mut ministream = stream.to_vec();
        ministream.resize(512, 0);
        [
            header,
            words(&[0xFFFF_FFFD, ENDOFCHAIN, ENDOFCHAIN, ENDOFCHAIN]),
            directory,
            words(&[1, 2, 3, ENDOFCHAIN]),
            ministream,
        ]
        .concat()
    }

    #[test]
    fn a_small_stream_is_found_in_the_mini_stream() {
        let bytes: Vec<u8> = (0..200u8).collect();
        let file = small_compound_file(&bytes);
        let mut found = stream(&file, &["Workbook"]).unwrap();
        assert_eq!(found.bytes, bytes);
        let mut copy = file.clone();
        found.patch(&mut copy, 130, &[0xEE]);
        // mini sector 2, byte 2: the mini stream is the file's sector 3
        assert_eq!(copy[4 * 512 + 130], 0xEE);
        assert_eq!(stream(&copy, &["Workbook"]).unwrap().bytes[130], 0xEE);
        // a mini chain that loops
        let mut looping = file.clone();
        looping[3 * 512 + 4..3 * 512 + 8].copy_from_slice(&0u32.to_le_bytes());
        let error = stream(&looping, &["Workbook"]).unwrap_err();
        assert!(error.contains("loops"), "{error}");
    }

    #[test]
    fn a_chain_past_the_end_is_refused() {
        let error = stream(&SEED[..20_000], &["Workbook"]).unwrap_err();
        assert!(
            error.contains("beyond the end") || error.contains("directory"),
            "{error}"
        );
    }
}
