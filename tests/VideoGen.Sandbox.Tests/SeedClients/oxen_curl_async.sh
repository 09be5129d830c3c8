# Seed 004_f77fda1f21250060.txt § Async Generation (Recommended) / cURL (Oxen.ai), verbatim.
# The test replaces the host https://hub.oxen.ai with the sandbox's URL and changes nothing else.
# 1. Enqueue
curl -X POST https://hub.oxen.ai/api/ai/queue \
  -H "Authorization: Bearer YOUR_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "kling-video-v2-6-pro-text-to-video",
    "prompt": "A sunset timelapse over the ocean",
    "duration": 5
  }'

# 2. Poll until done
curl -H "Authorization: Bearer YOUR_API_KEY" \
  "https://hub.oxen.ai/api/ai/queue?model=kling-video-v2-6-pro-text-to-video"
