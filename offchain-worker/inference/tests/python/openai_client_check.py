"""Drives a running gonka-inference server with the official `openai` Python client.

Usage: openai_client_check.py BASE_URL MODEL_ID
Exits non-zero (with the failing assertion) if any check fails; prints "ok" otherwise.
"""
import sys

import openai

base_url, model = sys.argv[1], sys.argv[2]
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)

# /v1/models
models = client.models.list()
assert [m.id for m in models.data] == [model], models

# Non-streaming chat, greedy.
question = [{"role": "user", "content": "What is the capital of France?"}]
resp = client.chat.completions.create(model=model, messages=question, temperature=0, max_tokens=24,
                                      logprobs=True, top_logprobs=3)
answer = resp.choices[0].message.content
assert "Paris" in answer, answer
assert resp.choices[0].finish_reason == "stop", resp
assert resp.usage.completion_tokens == len(resp.choices[0].logprobs.content), resp.usage
assert len(resp.choices[0].logprobs.content[0].top_logprobs) == 3
assert resp.usage.total_tokens == resp.usage.prompt_tokens + resp.usage.completion_tokens

# Streaming chat gives the same greedy text.
stream = client.chat.completions.create(model=model, messages=question, temperature=0, max_tokens=24, stream=True,
                                        stream_options={"include_usage": True})
parts, finish, usage = [], None, None
for chunk in stream:
    if chunk.usage is not None:
        usage = chunk.usage
    for c in chunk.choices:
        if c.delta.content:
            parts.append(c.delta.content)
        if c.finish_reason:
            finish = c.finish_reason
assert "".join(parts) == answer, ("".join(parts), answer)
assert finish == "stop" and usage is not None and usage.completion_tokens == resp.usage.completion_tokens, (finish, usage)

# Legacy completions.
comp = client.completions.create(model=model, prompt="The capital of France is", max_tokens=5, temperature=0)
assert comp.choices[0].finish_reason == "length" and comp.usage.completion_tokens == 5, comp
assert "Paris" in comp.choices[0].text, comp.choices[0].text

# Errors surface as the client's typed exceptions.
try:
    client.chat.completions.create(model="no-such-model", messages=question)
    raise AssertionError("unknown model accepted")
except openai.NotFoundError as e:
    assert e.code == "model_not_found", e.body
try:
    client.chat.completions.create(model=model, messages=question, max_tokens=10**6)
    raise AssertionError("huge max_tokens accepted")
except openai.BadRequestError as e:
    assert e.body["param"] == "max_tokens", e.body
try:
    client.chat.completions.create(model=model, messages=question, top_p=0)
    raise AssertionError("top_p=0 accepted")
except openai.BadRequestError as e:
    assert e.body["param"] == "top_p", e.body

print("ok")
