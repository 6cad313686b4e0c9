//! Tests of the bench: the plain values, and every suite run for real in
//! its own namespace with small counts (counts checked, never times).

use super::*;

#[test]
fn batch_sizes() {
    assert_eq!(Batch::of_size(1), Batch::OneAtATime);
    assert_eq!(Batch::of_size(0), Batch::OneAtATime);
    assert_eq!(Batch::of_size(64), Batch::Pipelined(64));
    assert_eq!(
        Batch::of_size(1 << 20),
        Batch::Pipelined(Pipeline::MAX_WINDOW)
    );
    assert_eq!(Batch::default().size(), Pipeline::MAX_WINDOW);
    assert_eq!(Batch::OneAtATime.size(), 1);
}

#[test]
fn rates() {
    let m = Measurement {
        operation: Operation::RouteDump,
        count: 1000,
        batch: None,
        wall: Duration::from_millis(500),
        user: Duration::ZERO,
        system: Duration::ZERO,
        bytes: Some(3_000_000),
    };
    assert_eq!(m.per_second(), 2000.0);
    assert_eq!(m.megabytes_per_second(), Some(6.0));
    assert!(Operation::RouteWalk.is_dump() && !Operation::VethDeleteGroup.is_dump());
}

#[test]
fn host_addresses_count_up_and_stop_at_the_limit() {
    let first = Ipv4Addr::new(10, 0, 0, 0);
    assert_eq!(host_address(first, 0).unwrap(), first);
    assert_eq!(
        host_address(first, 70_000).unwrap(),
        Ipv4Addr::new(10, 1, 17, 112)
    );
    assert_eq!(
        host_address(first, MAX_COUNT - 1).unwrap(),
        Ipv4Addr::new(10, 63, 255, 255)
    );
    assert!(matches!(
        host_address(first, MAX_COUNT),
        Err(Error::Invalid(_))
    ));
}

/// Records what a run reports.
#[derive(Default)]
struct Recorder {
    begun: Vec<Operation>,
    ended: Vec<Operation>,
    advanced: u64,
}

impl Progress for Recorder {
    fn begin(&mut self, operation: Operation, _total: u64) {
        self.begun.push(operation);
    }
    fn advance(&mut self, _done: u64) {
        self.advanced += 1;
    }
    fn end(&mut self, result: &Measurement) {
        self.ended.push(result.operation);
    }
}

fn check_suite(suite: Suite, count: usize, batch: Batch, want: &[Operation]) {
    let here = NetNs::current().unwrap().identity().unwrap();
    let mut seen = Recorder::default();
    let results = run(suite, &Settings { count, batch }, &mut seen).unwrap();
    let ops: Vec<Operation> = results.iter().map(|m| m.operation).collect();
    assert_eq!(ops, want);
    assert_eq!(seen.begun, want);
    assert_eq!(seen.ended, want);
    for m in &results {
        let objects = match m.operation {
            Operation::LinkDump | Operation::LinkWalk => 2 * count as u64 + 1,
            _ => count as u64,
        };
        assert_eq!(m.count, objects, "{:?}", m.operation);
        assert!(m.per_second() > 0.0 && m.per_second().is_finite());
        assert_eq!(m.bytes.is_some(), m.operation.is_dump());
        let batch_size = (!m.operation.is_dump() && m.operation != Operation::VethDeleteGroup)
            .then_some(batch.size());
        assert_eq!(m.batch, batch_size, "{:?}", m.operation);
    }
    // The calling thread never moved.
    assert_eq!(NetNs::current().unwrap().identity().unwrap(), here);
}

#[test]
fn the_route_suite_adds_dumps_and_deletes_every_route() {
    use Operation::*;
    let want = [RouteAdd, RouteDump, RouteWalk, RouteDelete];
    check_suite(Suite::Route, 600, Batch::default(), &want);
    check_suite(Suite::Route, 50, Batch::OneAtATime, &want);
    check_suite(Suite::Route, 50, Batch::Pipelined(7), &want);
}

#[test]
fn the_address_suite_adds_and_dumps_every_address() {
    use Operation::*;
    let want = [AddressAdd, AddressDump, AddressWalk];
    check_suite(Suite::Address, 300, Batch::default(), &want);
    check_suite(Suite::Address, 20, Batch::OneAtATime, &want);
}

#[test]
fn the_link_suite_deletes_by_group_and_one_by_one() {
    use Operation::*;
    let want = [VethAdd, LinkDump, LinkWalk, VethDeleteGroup, VethDelete];
    check_suite(Suite::Link, 6, Batch::default(), &want);
    check_suite(Suite::Link, 3, Batch::OneAtATime, &want);
}

#[test]
fn too_many_objects_are_refused_before_anything_runs() {
    let settings = Settings {
        count: MAX_COUNT + 1,
        batch: Batch::OneAtATime,
    };
    assert!(matches!(
        run(Suite::Route, &settings, &mut Quiet),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn every_operation_has_a_distinct_snake_case_key() {
    use Operation::*;
    let all = [
        RouteAdd,
        RouteDump,
        RouteWalk,
        RouteDelete,
        AddressAdd,
        AddressDump,
        AddressWalk,
        VethAdd,
        LinkDump,
        LinkWalk,
        VethDelete,
        VethDeleteGroup,
    ];
    let keys: std::collections::HashSet<_> = all.iter().map(|o| o.key()).collect();
    assert_eq!(keys.len(), all.len());
    for k in keys {
        assert!(
            k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{k}"
        );
    }
}
