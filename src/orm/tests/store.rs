//! Object storage: the session keeps every added object, and finds it by its handle.

use pretty_assertions::assert_eq;

use super::*;

#[test]
fn thousands_of_objects_of_one_model() {
    let engine = engine();
    let mut session = engine.session();
    let handles: Vec<_> = (0..2500)
        .map(|i| session.add(Artist::new(format!("Artist {i}"))))
        .collect();
    assert_eq!(session.pending(), 2500);
    session.commit().unwrap();
    assert_eq!(session.pending(), 0);
    for i in [0, 1023, 1024, 1025, 2047, 2048, 2499] {
        let artist = session.object(&handles[i]).unwrap();
        assert_eq!(artist.name, format!("Artist {i}"));
        assert_eq!(session.id(&handles[i]), Some(i as i64 + 1));
    }
}
