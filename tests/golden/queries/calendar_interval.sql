-- The legacy `interval` (make_interval) arrives as Interval(MONTH_DAY_NANO) and decodes to a CalendarInterval.
SELECT make_interval(1, 2, 3, 4, 5, 6, 7.000008) AS ci, make_interval(0, 0, 0, 0, 0, 0, -1.5) AS negative,
  make_interval(0, 0, 0, 0, 0, 0, 0) AS zero
