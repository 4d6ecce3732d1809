-- DATE decodes to a LocalDate (days since 1970, proleptic Gregorian): no time-zone drift at any date.
SELECT d FROM VALUES
  (DATE'0001-01-01'), (DATE'1582-10-04'), (DATE'1582-10-15'), (DATE'1969-12-31'), (DATE'2024-02-29'), (DATE'9999-12-31'),
  (CAST(NULL AS DATE)) AS t(d)
