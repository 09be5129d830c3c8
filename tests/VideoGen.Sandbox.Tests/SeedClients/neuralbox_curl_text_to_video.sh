# Seed 002_f482a26cd93bb35a.txt § Request Example (NeuralBox), verbatim.
# The test replaces the host https://neuralbox.top with the sandbox's URL and changes nothing else.
curl -X POST https://neuralbox.top/api/v2/generate \
  -H "Authorization: Bearer nb_YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "kling-v2.1",
    "prompt": "A time-lapse of a blooming flower, macro photography, soft natural light",
    "duration": 5,
    "aspect_ratio": "16:9"
  }'
