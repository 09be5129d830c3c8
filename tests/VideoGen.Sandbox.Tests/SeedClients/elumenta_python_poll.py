# Seed 000_19877c27d990fa7a.txt § Request Example / Python (Elumenta): start a generation, poll every 5 s.
# Verbatim but for the two-space indent of the documentation's code block; the test replaces the
# host https://elumenta.ru with the sandbox's URL and changes nothing else.
import requests, time

# Start generation
res = requests.post(
    "https://elumenta.ru/api/v2/generate",
    headers={"Authorization": "Bearer nb_YOUR_API_KEY"},
    json={
        "model": "kling-v2.1",
        "prompt": "A drone flyover of a futuristic city at night",
        "duration": 5,
        "aspect_ratio": "16:9"
    }
)

gen = res.json()
gen_id = gen["id"]
print(f"Generation started: {gen_id}")

# Poll for result
while True:
    status_res = requests.get(
        f"https://elumenta.ru/api/v2/generate/{gen_id}",
        headers={"Authorization": "Bearer nb_YOUR_API_KEY"}
    )
    status = status_res.json()
    
    if status["status"] == "completed":
        print(f"Video ready: {status['result_url']}")
        break
    elif status["status"] == "failed":
        print(f"Failed: {status['error']}")
        break
    
    time.sleep(5)
