# Classic mistakes, each applied to the solutions by .ci/integrity.sh; the
# kata's tests must catch every one. Format:
#   wrong MODULE "what the mistake is" 'text in the solution' 'its replacement' [more pairs]

wrong step1_models "no foreign key on books.author_id" \
  'Book::AUTHOR_ID.mapped().references("authors", "id")' 'Book::AUTHOR_ID.mapped()'
wrong step1_models "set_id() forgets the id" \
  'self.id = id;' 'let _ = id;'
wrong step1_models "from_row() reads the title from the wrong column" \
  'title: row.get(Book::TITLE)?' 'title: row.get::<i64>(Book::YEAR)?.to_string()'

wrong step2_create_tables "only the authors table" \
  '.register::<Book>()' ''

wrong step3_seed "no commit: dropping the session rolls back" \
  'session.commit()?;' ''
wrong step3_seed "two transactions: commits the authors, then the books" \
  'session.flush()?;' 'session.commit()?;'
wrong step3_seed "hard-coded counts" \
  'authors: authors.len(),' 'authors: 3,' 'books,' 'books: 7,'

wrong step4_queries "listing without ORDER BY" \
  '.order_by(Author::ID.asc())
        .with(Author::BOOKS)' '.with(Author::BOOKS)'
wrong step4_queries "listing with one query per author (N+1)" \
  'let query = select::<Author>()
        .order_by(Author::ID.asc())
        .with(Author::BOOKS);
    session.all(&query)' 'let authors = session.all(&select::<Author>().order_by(Author::ID.asc()))?;
    let mut listing = Vec::new();
    for author in authors {
        let books = session.children(&author, Author::BOOKS)?;
        listing.push((author, books));
    }
    Ok(listing)'
wrong step4_queries "books after: >= instead of >" \
  'Book::YEAR.gt(year)' 'Book::YEAR.ge(year)'
wrong step4_queries "books after: no ORDER BY" \
  '.filter(Book::YEAR.gt(year))
        .order_by(Book::ID.asc());' '.filter(Book::YEAR.gt(year));'
wrong step4_queries "more books than n: >= instead of >" \
  'count(Book::ID).gt(n)' 'count(Book::ID).ge(n)'
wrong step4_queries "more books than n: LEFT JOIN and count(*), so authors without books count 1" \
  'count(Book::ID)))' 'count(Author::ID)))' \
  '.join(Author::BOOKS)' '.left_join(Author::BOOKS)' \
  'count(Book::ID).gt(n)' 'count(Author::ID).gt(n)'

wrong step5_compare "raw SQL with the year formatted into the text" \
  'conn.prepare("SELECT title FROM books WHERE year > ?1 ORDER BY id")?' \
  'conn.prepare(&format!("SELECT title FROM books WHERE year > {year} ORDER BY id"))?' \
  '.query_map([year],' '.query_map([],'
wrong step5_compare "raw SQL without ORDER BY" \
  ' ORDER BY id")' '")'
wrong step5_compare "ORM: >= instead of >" \
  'Book::YEAR.gt(year)' 'Book::YEAR.ge(year)'

wrong alter1_publisher "the new column without its foreign key" \
  '.references("publishers", "id")' ''
wrong alter1_publisher "publish() without a filter changes every book" \
  '.filter(Book::ID.is_in(book_ids.iter().copied()))' ''
wrong alter1_publisher "books by publisher without ORDER BY" \
  '.filter(Publisher::NAME.eq(name))
        .order_by(Book::ID.asc());' '.filter(Publisher::NAME.eq(name));'
wrong alter1_publisher "books by publisher with LIKE, so % matches everything" \
  'Publisher::NAME.eq(name)' 'Publisher::NAME.like(name)'

wrong alter2_tags "tagging twice inserts the link twice" \
  'if session.first(&link)?.is_some() {' 'if session.first(&link)?.is_some() && false {'
wrong alter2_tags "tags of a book in no particular order" \
  '.filter(Book::ID.eq(book_id))
        .order_by(Tag::NAME.asc());' '.filter(Book::ID.eq(book_id));'
wrong alter2_tags "a new tag row on every call" \
  'match session.first(&select::<Tag>().filter(Tag::NAME.eq(tag)))? {' \
  'match None::<Tag> {'

wrong alter3_display "the quote is not escaped" \
  'c if c == quote => write!(f, "\\{c}")?,' 'c if c == quote => write!(f, "{c}")?,'
wrong alter3_display "always single quotes" \
  "if text.contains('\\'') && !text.contains('\"') {" 'if false {'
wrong alter3_display "an unsaved object shows id=0" \
  'None => write!(f, "None"),' 'None => write!(f, "0"),'

wrong break1_orphan_book "predicts that plain rusqlite accepts the orphan" \
  'plain_rusqlite: Outcome::Refused' 'plain_rusqlite: Outcome::Accepted'
wrong break1_orphan_book "predicts that the kata engine refuses it" \
  'kata_engine: Outcome::Accepted' 'kata_engine: Outcome::Refused'
wrong break2_stale_objects "predicts live objects" \
  'loaded_list_has_new_book: false' 'loaded_list_has_new_book: true'
wrong break3_uncommitted "predicts that other connections see uncommitted rows" \
  'other_connection_sees_it: false' 'other_connection_sees_it: true'
wrong break3_uncommitted "predicts that a dropped session keeps its rows" \
  'still_there_after_drop: false' 'still_there_after_drop: true'

wrong fix1_foreign_keys "open_engine() leaves foreign keys off" \
  'engine.set_foreign_keys(true)?;' ''
wrong fix1_foreign_keys "the raw database error instead of UnknownAuthor" \
  'Err(e) if e.is_constraint_violation() => Err(AddBookError::UnknownAuthor { author_id }),' ''
wrong fix2_cascade "no ON DELETE CASCADE" \
  '.on_delete_cascade()' ''
wrong fix2_cascade "reports no books deleted" \
  'Ok(_) => Ok(books),' 'Ok(_) => Ok(0),'
wrong fix3_flush_id "commits instead of flushing" \
  'session.flush()?;' 'session.commit()?;'

wrong step3_seed "books inserted with raw SQL, prepared once per row" \
  'session.add(Book::new(title, year, author_id));' \
  'session.connection().execute("INSERT INTO books (title, year, author_id) VALUES (?1, ?2, ?3)", (title, year, author_id))?;'
wrong step4_queries "the lazy listing is secretly eager" \
  'let authors = session.all(&select::<Author>().order_by(Author::ID.asc()))?;
    let mut listing' 'return authors_with_books(session);
    #[allow(unreachable_code)]
    let authors: Vec<Author> = Vec::new();
    let mut listing'
wrong step3_seed "a failed seed leaves its authors behind" \
  'let _ = session.rollback();' ''
