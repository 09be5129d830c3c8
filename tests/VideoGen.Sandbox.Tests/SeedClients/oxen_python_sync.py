# Seed 004_f77fda1f21250060.txt § Minimal Example (Synchronous) / Python (Oxen.ai).
# Verbatim but for the two-space indent of the documentation's code block; the test replaces the
# host https://hub.oxen.ai with the sandbox's URL and changes nothing else.
import requests

response = requests.post(
    "https://hub.oxen.ai/api/ai/videos/generate",
    headers={
        "Authorization": "Bearer YOUR_API_KEY",
        "Content-Type": "application/json",
    },
    json={
        "model": "kling-video-v2-6-pro-text-to-video",
        "prompt": "A red balloon floating upward through blue sky",
        "duration": 5,
    },
)

data = response.json()
print("Video URL:", data["videos"][0]["url"])
