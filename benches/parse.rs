//! Criterion benches: parsing a link dump and a route dump. (to be written)
fn main() {}
