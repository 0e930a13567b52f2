//! The API's route table: every operation is registered here once with its method and path,
//! so the table the router serves is also the list the OpenAPI document is checked against
//! (every routed operation documented, every documented one routed).

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post};
use std::sync::Arc;

use crate::AppState;

/// A router being built, with the operations registered so far.
pub struct Routes {
    router: Router<Arc<AppState>>,
    operations: Vec<(Method, &'static str)>,
}

impl Default for Routes {
    fn default() -> Self {
        Self {
            router: Router::new(),
            operations: Vec::new(),
        }
    }
}

impl Routes {
    fn add(
        mut self,
        method: Method,
        path: &'static str,
        route: MethodRouter<Arc<AppState>>,
    ) -> Self {
        self.operations.push((method, path));
        self.router = self.router.route(path, route);
        self
    }

    pub fn get<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Arc<AppState>>,
        T: 'static,
    {
        self.add(Method::GET, path, get(handler))
    }

    pub fn post<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Arc<AppState>>,
        T: 'static,
    {
        self.add(Method::POST, path, post(handler))
    }

    /// A POST whose body may be as large as `limit` bytes (files).
    pub fn post_up_to<H, T>(self, path: &'static str, limit: usize, handler: H) -> Self
    where
        H: Handler<T, Arc<AppState>>,
        T: 'static,
    {
        self.add(
            Method::POST,
            path,
            post(handler).layer(DefaultBodyLimit::max(limit)),
        )
    }

    pub fn delete<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, Arc<AppState>>,
        T: 'static,
    {
        self.add(Method::DELETE, path, delete(handler))
    }

    /// The routes of `other` added to these.
    pub fn merge(mut self, other: Routes) -> Self {
        self.operations.extend(other.operations);
        self.router = self.router.merge(other.router);
        self
    }

    /// The router, and the operations it serves.
    pub fn finish(self) -> (Router<Arc<AppState>>, Vec<(Method, &'static str)>) {
        (self.router, self.operations)
    }
}
