//! fupan (复盘) turns archives of Chinese A-share market recaps into structured, searchable
//! knowledge: stocks, concepts and organisations mentioned, and quantitative claims attributed to
//! their subjects.
//!
//! ```
//! use fupan::{model::Article, pipeline::Engine};
//!
//! let engine = Engine::builtin().unwrap();
//! let article = Article {
//!     source: "example.txt".into(),
//!     text: "8、利通电子——平台回复在手3000P。".into(),
//!     ..Article::default()
//! };
//! let analysis = engine.analyze(article);
//! assert_eq!(analysis.record.stocks[0].code, "603629");
//! ```

pub mod calendar;
pub mod claims;
pub mod date;
pub mod error;
pub mod eval;
pub mod export;
pub mod history;
pub mod index;
pub mod lexicon;
pub mod model;
pub mod normalize;
pub mod number;
pub mod pipeline;
pub mod recognize;
pub mod schema;
pub mod search;
pub mod segment;
pub mod serve;
pub mod source;
pub mod stock_list;

pub use error::{Error, Result};
