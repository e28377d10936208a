//! Write the hostile inputs of issue 13, and the good sample beside them,
//! into a folder: `cargo run --example hostile_inputs -- DIR`, then
//! `gongkai extract DIR -o OUT` (`tests/suite/limits.rs` does this under a memory
//! ceiling and checks each file's status and reason).

#[path = "../tests/suite/hostile_inputs/mod.rs"]
mod hostile_inputs;

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: cargo run --example hostile_inputs -- DIR");
        std::process::exit(2);
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("the folder can be made");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for expected in hostile_inputs::write_all(&dir, repo) {
        let facts = expected.facts.map_or("?".to_string(), |n| n.to_string());
        println!(
            "{}\t{}\t{facts} facts\t{}",
            expected.name, expected.status, expected.says
        );
    }
}
