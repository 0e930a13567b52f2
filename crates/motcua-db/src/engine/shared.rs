//! State the stores keep for the life of a `Db` and its clones (caches, kept views), one
//! value of each type, made on first use, so the engine holds it without knowing it.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// One value per type, shared by every clone of a `Db` and by its writer thread.
#[derive(Default)]
pub(crate) struct Shared {
    values: RwLock<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.values.read().map_or(0, |v| v.len());
        f.debug_struct("Shared").field("kept", &kept).finish()
    }
}

impl Shared {
    /// The value of type `T`, made with `T::default()` the first time.
    pub(crate) fn get<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let key = TypeId::of::<T>();
        let found = self
            .values
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            .cloned();
        if let Some(Ok(value)) = found.map(|v| v.downcast::<T>()) {
            return value;
        }
        let mut values = self
            .values
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let entry = values
            .entry(key)
            .or_insert_with(|| Arc::new(T::default()) as Arc<dyn Any + Send + Sync>);
        match Arc::clone(entry).downcast::<T>() {
            Ok(value) => value,
            // Keyed by its own type, the value is always a `T`; a fresh one stands in for
            // the impossible case rather than failing the caller.
            Err(_) => Arc::new(T::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Count(std::sync::atomic::AtomicU32);

    #[test]
    fn one_value_per_type_shared_by_all() {
        let shared = Shared::default();
        let a = shared.get::<Count>();
        a.0.fetch_add(3, std::sync::atomic::Ordering::Relaxed);
        let b = shared.get::<Count>();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(b.0.load(std::sync::atomic::Ordering::Relaxed), 3);
        assert_eq!(*shared.get::<String>(), "");
    }
}
