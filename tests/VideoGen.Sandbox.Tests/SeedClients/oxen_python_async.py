# Seed 004_f77fda1f21250060.txt § Async Generation (Recommended) / Python (Oxen.ai): enqueue, poll every 10 s.
# Verbatim but for the two-space indent of the documentation's code block; the test replaces the
# host https://hub.oxen.ai with the sandbox's URL and changes nothing else.
import requests
import time

API_KEY = "YOUR_API_KEY"
MODEL = "kling-video-v2-6-pro-text-to-video"
HEADERS = {
    "Authorization": f"Bearer {API_KEY}",
    "Content-Type": "application/json",
}

# 1. Enqueue
response = requests.post(
    "https://hub.oxen.ai/api/ai/queue",
    headers=HEADERS,
    json={
        "model": MODEL,
        "prompt": "A sunset timelapse over the ocean",
        "duration": 5,
    },
)
generation_id = response.json()["generations"][0]["generation_id"]
print(f"Enqueued generation: {generation_id}")

# 2. Poll until done
while True:
    data = requests.get(
        f"https://hub.oxen.ai/api/ai/queue/{generation_id}",
        headers=HEADERS,
    ).json()
    print(f"Status: {data['status']}")
    if data["status"] in {"succeeded", "failed", "cancelled"}:
        break
    time.sleep(10)

if data["status"] == "succeeded":
    print(f"Done! Result: {data['result_url']}")
else:
    print(f"Generation {data['status']}: {data.get('error_message')}")
