# Seed 004_f77fda1f21250060.txt § Minimal Example (Synchronous) / cURL (Oxen.ai), verbatim.
# The test replaces the host https://hub.oxen.ai with the sandbox's URL and changes nothing else.
curl -X POST https://hub.oxen.ai/api/ai/videos/generate \
  -H "Authorization: Bearer YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "kling-video-v2-6-pro-text-to-video",
    "prompt": "A red balloon floating upward through blue sky",
    "duration": 5
  }'
