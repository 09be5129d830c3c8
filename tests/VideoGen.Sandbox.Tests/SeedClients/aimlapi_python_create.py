# Seed 003_c929ef2f8a37e003.txt § "Example: Fetch Multiple Generations" (second occurrence, which holds the
# create example: POST .../generation) / Python (AIML API), verbatim. The test replaces the host
# https://api.aimlapi.com with the sandbox's URL and changes nothing else.
import requests


def main():
  url = "https://api.aimlapi.com/v2/generate/video/luma-ai/generation"
  payload = {
    "prompt": "Flying jellyfish",
    "aspect_ratio": "16:9"
  }
  headers = {
    "Authorization": "Bearer <YOUR_AIMLAPI_KEY>",
    "Content-Type": "application/json"
  }
  
  response = requests.post(url, json=payload, headers=headers)
  print("Generation:",  response.json())
  
if __name__ == "__main__":
    main()
