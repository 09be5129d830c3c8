# Seed 000_19877c27d990fa7a.txt § Request Example / "cURL — Image to Video" (Elumenta), verbatim.
# The test replaces the host https://elumenta.ru with the sandbox's URL and changes nothing else.
curl -X POST https://elumenta.ru/api/v2/generate \
  -H "Authorization: Bearer nb_YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "luma-ray2",
    "prompt": "The character slowly turns their head and smiles",
    "image_url": "https://example.com/portrait.jpg",
    "duration": 5
  }'
