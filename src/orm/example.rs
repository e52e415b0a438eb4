//! Complete models used by the ORM's own documentation and tests: artists
//! and their albums (one-to-many), and genres linked to albums through
//! `album_genres` (many-to-many). They show every piece a model needs; the
//! kata's models follow the same patterns.

use super::{BelongsTo, Column, HasMany, ManyToMany, Model, ModelRow, Table, Values};

/// An artist: the parent side of a one-to-many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artist {
    /// Primary key, `None` until flushed.
    pub id: Option<i64>,
    /// The artist's name.
    pub name: String,
}

impl Artist {
    /// `artists.id`
    pub const ID: Column<Artist, i64> = Column::new("id");
    /// `artists.name`
    pub const NAME: Column<Artist, String> = Column::new("name");
    /// An artist's albums (SQLAlchemy: `relationship(back_populates="artist")`).
    pub const ALBUMS: HasMany<Artist, Album> = HasMany::new(Album::ARTIST_ID);

    /// A new, unsaved artist.
    pub fn new(name: impl Into<String>) -> Self {
        Artist {
            id: None,
            name: name.into(),
        }
    }
}

impl Model for Artist {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "artists",
            &[Artist::ID.mapped().primary_key(), Artist::NAME.mapped()],
        );
        &TABLE
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Artist {
            id: Some(row.get(Artist::ID)?),
            name: row.get(Artist::NAME)?,
        })
    }

    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Artist::NAME, &self.name)
    }

    fn id(&self) -> Option<i64> {
        self.id
    }

    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// An album: the child side, with a foreign key to its artist and an
/// optional column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Album {
    /// Primary key, `None` until flushed.
    pub id: Option<i64>,
    /// The album's title.
    pub title: String,
    /// Release year, if known (a nullable column).
    pub year: Option<i64>,
    /// The artist's id: `REFERENCES artists(id)`, NOT NULL.
    pub artist_id: i64,
}

impl Album {
    /// `albums.id`
    pub const ID: Column<Album, i64> = Column::new("id");
    /// `albums.title`
    pub const TITLE: Column<Album, String> = Column::new("title");
    /// `albums.year`, nullable because its type is `Option<i64>`.
    pub const YEAR: Column<Album, Option<i64>> = Column::new("year");
    /// `albums.artist_id`
    pub const ARTIST_ID: Column<Album, i64> = Column::new("artist_id");
    /// An album's artist (SQLAlchemy: `relationship(back_populates="albums")`).
    pub const ARTIST: BelongsTo<Album, Artist> = BelongsTo::new(Album::ARTIST_ID);
    /// An album's genres, through `album_genres`.
    pub const GENRES: ManyToMany<Album, Genre, AlbumGenre> =
        ManyToMany::new(AlbumGenre::ALBUM_ID, AlbumGenre::GENRE_ID);

    /// A new, unsaved album.
    pub fn new(title: impl Into<String>, year: Option<i64>, artist_id: i64) -> Self {
        Album {
            id: None,
            title: title.into(),
            year,
            artist_id,
        }
    }
}

impl Model for Album {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "albums",
            &[
                Album::ID.mapped().primary_key(),
                Album::TITLE.mapped(),
                Album::YEAR.mapped(),
                Album::ARTIST_ID.mapped().references("artists", "id"),
            ],
        );
        &TABLE
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Album {
            id: Some(row.get(Album::ID)?),
            title: row.get(Album::TITLE)?,
            year: row.get(Album::YEAR)?,
            artist_id: row.get(Album::ARTIST_ID)?,
        })
    }

    fn values(&self) -> Values<'_, Self> {
        Values::new()
            .set(Album::TITLE, &self.title)
            .set(Album::YEAR, &self.year)
            .set(Album::ARTIST_ID, &self.artist_id)
    }

    fn id(&self) -> Option<i64> {
        self.id
    }

    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// A genre: the other side of a many-to-many with albums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genre {
    /// Primary key, `None` until flushed.
    pub id: Option<i64>,
    /// The genre's name, unique.
    pub name: String,
}

impl Genre {
    /// `genres.id`
    pub const ID: Column<Genre, i64> = Column::new("id");
    /// `genres.name`, UNIQUE.
    pub const NAME: Column<Genre, String> = Column::new("name");
    /// A genre's albums: the many-to-many walked the other way.
    pub const ALBUMS: ManyToMany<Genre, Album, AlbumGenre> = Album::GENRES.reversed();

    /// A new, unsaved genre.
    pub fn new(name: impl Into<String>) -> Self {
        Genre {
            id: None,
            name: name.into(),
        }
    }
}

impl Model for Genre {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "genres",
            &[
                Genre::ID.mapped().primary_key(),
                Genre::NAME.mapped().unique(),
            ],
        );
        &TABLE
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(Genre {
            id: Some(row.get(Genre::ID)?),
            name: row.get(Genre::NAME)?,
        })
    }

    fn values(&self) -> Values<'_, Self> {
        Values::new().set(Genre::NAME, &self.name)
    }

    fn id(&self) -> Option<i64> {
        self.id
    }

    fn set_id(&mut self, id: Option<i64>) {
        self.id = id;
    }
}

/// One row of the link table: this album has this genre. Its primary key is
/// the pair, so a pair can be stored once only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlbumGenre {
    /// `REFERENCES albums(id)`
    pub album_id: i64,
    /// `REFERENCES genres(id)`
    pub genre_id: i64,
}

impl AlbumGenre {
    /// `album_genres.album_id`
    pub const ALBUM_ID: Column<AlbumGenre, i64> = Column::new("album_id");
    /// `album_genres.genre_id`
    pub const GENRE_ID: Column<AlbumGenre, i64> = Column::new("genre_id");
}

impl Model for AlbumGenre {
    fn table() -> &'static Table {
        const TABLE: Table = Table::new(
            "album_genres",
            &[
                AlbumGenre::ALBUM_ID
                    .mapped()
                    .primary_key()
                    .references("albums", "id"),
                AlbumGenre::GENRE_ID
                    .mapped()
                    .primary_key()
                    .references("genres", "id"),
            ],
        );
        &TABLE
    }

    fn from_row(row: &ModelRow<'_, '_, Self>) -> rusqlite::Result<Self> {
        Ok(AlbumGenre {
            album_id: row.get(AlbumGenre::ALBUM_ID)?,
            genre_id: row.get(AlbumGenre::GENRE_ID)?,
        })
    }

    fn values(&self) -> Values<'_, Self> {
        Values::new()
            .set(AlbumGenre::ALBUM_ID, &self.album_id)
            .set(AlbumGenre::GENRE_ID, &self.genre_id)
    }

    /// A link row has no id of its own: its key is the pair.
    fn id(&self) -> Option<i64> {
        None
    }

    fn set_id(&mut self, _id: Option<i64>) {}
}
