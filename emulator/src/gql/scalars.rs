//! The `PageSize` scalar: an Int-like page size (the SDK declares `$first: PageSize!`).

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// Page size of a list query: a non-negative integer.
#[derive(Debug, Clone, Copy)]
pub struct PageSize(pub i64);

/// Page size of a list query. Int-like; the SDK declares `$first: PageSize!` and sends 1..100.
#[Scalar(name = "PageSize")]
impl ScalarType for PageSize {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::Number(n) => match n.as_i64() {
                Some(v) if v >= 0 => Ok(PageSize(v)),
                _ => Err(InputValueError::custom(
                    "PageSize must be a non-negative integer",
                )),
            },
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Number(self.0.into())
    }
}
