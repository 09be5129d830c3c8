# Seed 000_19877c27d990fa7a.txt § Request Example / "cURL — Text to Video" (Elumenta), verbatim.
# The test replaces the host https://elumenta.ru with the sandbox's URL and changes nothing else.
curl -X POST https://elumenta.ru/api/v2/generate \
  -H "Authorization: Bearer nb_YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "kling-v2.1",
    "prompt": "A time-lapse of a blooming flower, macro photography, soft natural light",
    "duration": 5,
    "aspect_ratio": "16:9"
  }'
