//! A typed row ↔ its fields as written: the column names of a row struct
//! (from its serde derive), its values as the strings a CSV cell holds,
//! and the struct back from such strings. A row struct is flat: each field
//! a string, a number, an `Option` of one (empty when `None`) or a unit
//! enum (its serde name).

use serde::de::{self, DeserializeOwned, Visitor};
use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// The column names of a row struct, in order.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut names = FieldNames(None);
    let _ = T::deserialize(&mut names);
    names.0.unwrap_or(&[])
}

/// A row's values as the strings written for them.
pub fn to_fields<T: Serialize>(row: &T) -> Vec<String> {
    let mut fields = Vec::new();
    row.serialize(RowSerializer {
        fields: &mut fields,
    })
    .expect("output rows are flat structs of plain values");
    fields
}

/// A row back from its written fields, matched to its columns by `header`.
pub fn from_fields<T: DeserializeOwned>(
    header: &csv::StringRecord,
    fields: &csv::StringRecord,
) -> Result<T, csv::Error> {
    fields.deserialize(Some(header))
}

/// A deserializer that only learns the field names of the struct asked for.
struct FieldNames(Option<&'static [&'static str]>);

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field names only")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for &mut FieldNames {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = Some(fields);
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Why a row could not be written as fields (a nested value).
#[derive(Debug)]
pub struct NotFlat(String);

impl fmt::Display for NotFlat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a flat row: {}", self.0)
    }
}

impl std::error::Error for NotFlat {}

impl ser::Error for NotFlat {
    fn custom<M: fmt::Display>(message: M) -> Self {
        NotFlat(message.to_string())
    }
}

/// Serializes a struct into one string per field.
struct RowSerializer<'a> {
    fields: &'a mut Vec<String>,
}

impl<'a> ser::SerializeStruct for RowSerializer<'a> {
    type Ok = ();
    type Error = NotFlat;

    fn serialize_field<V: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &V,
    ) -> Result<(), NotFlat> {
        self.fields.push(value.serialize(ValueSerializer)?);
        Ok(())
    }

    fn end(self) -> Result<(), NotFlat> {
        Ok(())
    }
}

macro_rules! not_flat {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, NotFlat> {
            Err(NotFlat(stringify!($method).to_string()))
        })*
    };
}

impl<'a> ser::Serializer for RowSerializer<'a> {
    type Ok = ();
    type Error = NotFlat;
    type SerializeSeq = Impossible<(), NotFlat>;
    type SerializeTuple = Impossible<(), NotFlat>;
    type SerializeTupleStruct = Impossible<(), NotFlat>;
    type SerializeTupleVariant = Impossible<(), NotFlat>;
    type SerializeMap = Impossible<(), NotFlat>;
    type SerializeStruct = RowSerializer<'a>;
    type SerializeStructVariant = Impossible<(), NotFlat>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, NotFlat> {
        Ok(self)
    }

    not_flat! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_some<V: Serialize + ?Sized>(self, _: &V) -> Result<(), NotFlat> {
        Err(NotFlat("serialize_some".into()))
    }

    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &V,
    ) -> Result<(), NotFlat> {
        Err(NotFlat("serialize_newtype_struct".into()))
    }

    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &V,
    ) -> Result<(), NotFlat> {
        Err(NotFlat("serialize_newtype_variant".into()))
    }
}

/// Serializes one plain value into the string a cell holds.
struct ValueSerializer;

macro_rules! display {
    ($($method:ident($type:ty);)*) => {
        $(fn $method(self, value: $type) -> Result<String, NotFlat> {
            Ok(value.to_string())
        })*
    };
}

impl ser::Serializer for ValueSerializer {
    type Ok = String;
    type Error = NotFlat;
    type SerializeSeq = Impossible<String, NotFlat>;
    type SerializeTuple = Impossible<String, NotFlat>;
    type SerializeTupleStruct = Impossible<String, NotFlat>;
    type SerializeTupleVariant = Impossible<String, NotFlat>;
    type SerializeMap = Impossible<String, NotFlat>;
    type SerializeStruct = Impossible<String, NotFlat>;
    type SerializeStructVariant = Impossible<String, NotFlat>;

    display! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, NotFlat> {
        Err(NotFlat("bytes".into()))
    }

    fn serialize_none(self) -> Result<String, NotFlat> {
        Ok(String::new())
    }

    fn serialize_some<V: Serialize + ?Sized>(self, value: &V) -> Result<String, NotFlat> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<String, NotFlat> {
        Ok(String::new())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, NotFlat> {
        Ok(String::new())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, NotFlat> {
        Ok(variant.to_string())
    }

    fn serialize_newtype_struct<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &V,
    ) -> Result<String, NotFlat> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<V: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: &V,
    ) -> Result<String, NotFlat> {
        Err(NotFlat(format!("variant {variant} with data")))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotFlat> {
        Err(NotFlat("a list".into()))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotFlat> {
        Err(NotFlat("a tuple".into()))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotFlat> {
        Err(NotFlat("a tuple struct".into()))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotFlat> {
        Err(NotFlat("a tuple variant".into()))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotFlat> {
        Err(NotFlat("a map".into()))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotFlat> {
        Err(NotFlat(format!("a nested struct {name}")))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotFlat> {
        Err(NotFlat("a struct variant".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::{field_names, from_fields, to_fields};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        year: Option<u16>,
        page: Option<u32>,
        status: Status,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Status {
        Ok,
        Partial,
    }

    #[test]
    fn a_row_is_its_fields_and_back() {
        assert_eq!(field_names::<Sample>(), ["name", "year", "page", "status"]);
        let row = Sample {
            name: "盘锦市, \"大洼\"".into(),
            year: Some(2023),
            page: None,
            status: Status::Partial,
        };
        let fields = to_fields(&row);
        assert_eq!(fields, ["盘锦市, \"大洼\"", "2023", "", "partial"]);
        let header = csv::StringRecord::from(field_names::<Sample>().to_vec());
        let back: Sample = from_fields(&header, &csv::StringRecord::from(fields)).unwrap();
        assert_eq!(back, row);
    }
}
