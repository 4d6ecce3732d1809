SELECT s FROM VALUES
  (''), ('plain'), ('héllo wörld'), ('世界'), ('🌍 emoji, then a longer ASCII tail'), ('line\nbreak'), (CAST(NULL AS STRING)) AS t(s)
