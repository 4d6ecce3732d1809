-- VARIANT decodes to a VariantValue (value + metadata bytes); the answer records its exact JSON text.
SELECT parse_json('{"a":[1,2.5,"x",null,true],"b":{"c":12345678901234567890}}') AS doc,
  parse_json('"text"') AS string_value, parse_json('null') AS json_null, CAST(NULL AS VARIANT) AS sql_null
