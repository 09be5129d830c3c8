namespace VideoGen.Tests.Hostile;

/// <summary>
/// Valid success bodies of every operation, the starting points of the mutants. Where the spec has
/// response examples they are copied verbatim (named by spec, operation and example); where it has
/// none (the gateway's GetJob, every AIML API response: the vendors do not document them), the body
/// is built from the spec's schema and says so.
/// </summary>
internal static class ExampleResponses
{
    // specs/elumenta.yaml CreateGeneration 200 "pending" (seed 000 § Initial Response).
    public static readonly string[] ElumentaCreate =
    [
        """{"id": 18500, "status": "pending", "model_slug": "kling-v2.1", "processing_ms": null, "created_at": "2026-03-08T12:05:00Z"}""",
    ];

    // specs/elumenta.yaml GetGeneration 200 "completedElumenta", "pendingStatusPage", "completedStatusPage", "failedStatusPage".
    public static readonly string[] ElumentaGet =
    [
        """{"id": 18500, "status": "completed", "model_slug": "kling-v2.1", "result_url": "https://storage.elumenta.ru/generations/18500.mp4", "tokens_spent": 26, "result_metadata": {"duration": 5, "width": 1920, "height": 1080}, "created_at": "2026-03-08T12:05:00Z", "completed_at": "2026-03-08T12:05:55Z"}""",
        """{"id": 18502, "status": "pending", "model_slug": "kling-v2.1", "result_url": null, "tokens_spent": 0}""",
        """{"id": 18502, "status": "completed", "model_slug": "kling-v2.1", "result_url": "https://storage.elumenta.ru/generations/18502.mp4", "thumbnail_url": "https://storage.elumenta.ru/thumbnails/18502.jpg", "tokens_spent": 44, "processing_ms": 67420, "result_metadata": {"duration": 5, "width": 1920, "height": 1080}}""",
        """{"id": 18503, "status": "failed", "error": "Provider error: content policy violation", "tokens_spent": 0}""",
    ];

    // specs/apiframe.yaml CreateVideo 202 "queued" (https://docs-v2.apiframe.ai/docs/videos, Response).
    public static readonly string[] GatewayCreate =
    [
        """{"jobId": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "QUEUED"}""",
    ];

    // specs/apiframe.yaml GetJob 200: https://docs-v2.apiframe.ai/docs/jobs/get (Processing, Failed) with the video result shapes of the model pages.
    public static readonly string[] GatewayGet =
    [
        """{"id": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "PROCESSING", "model": "veo-3", "progress": 65, "result": null, "error": null, "creditCost": 10, "webhookStatus": null, "createdAt": "2026-03-15T10:00:00.000Z", "completedAt": null}""",
        """{"id": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "COMPLETED", "model": "midjourney-video", "progress": 100, "result": {"videos": ["https://cdn2.apiframe.ai/videos/job-id-1.mp4", "https://cdn2.apiframe.ai/videos/job-id-2.mp4"]}, "creditCost": 10, "webhookStatus": "sent", "createdAt": "2026-03-15T10:00:00.000Z", "completedAt": "2026-03-15T10:00:32.000Z"}""",
        """{"id": "b2c3d4e5-f6a7-8901-bcde-f23456789012", "status": "FAILED", "model": "midjourney", "progress": 0, "result": null, "error": "Provider returned an error: content policy violation", "creditCost": 0, "webhookStatus": "sent", "createdAt": "2026-03-15T10:00:00.000Z", "completedAt": "2026-03-15T10:00:05.000Z"}""",
    ];

    // specs/aimlapi.yaml: no response examples (AIML API does not document the bodies); built from the Generation schema (Luma's Generation object).
    public static readonly string[] AimlGeneration =
    [
        """{"id": "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10", "state": "queued", "generation_type": "video", "failure_reason": null, "created_at": "2026-03-08T12:05:00Z", "assets": null, "model": "ray-2"}""",
        """{"id": "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10", "state": "completed", "generation_type": "video", "created_at": "2026-03-08T12:05:00Z", "assets": {"video": "https://storage.cdn-luma.com/dream/2f6a7e37.mp4", "image": "https://storage.cdn-luma.com/dream/2f6a7e37.jpg", "progress_video": null}, "model": "ray-2"}""",
        """{"id": "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10", "state": "failed", "failure_reason": "400: prompt not allowed", "created_at": "2026-03-08T12:05:00Z"}""",
    ];

    // specs/aimlapi.yaml GetGenerations 200: built from the GenerationList schema around the Generation bodies above.
    public static readonly string[] AimlGenerationList =
    [
        "{\"generations\": [" + AimlGeneration[0] + "," + AimlGeneration[1].Replace("2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10", "0f3ea4aa-10e7-4dae-af0b-263ab4ac45f9", StringComparison.Ordinal) + "]}",
        "{\"generations\": []}",
    ];

    // specs/oxen.yaml GenerateVideo 200 "url".
    public static readonly string[] OxenGenerate =
    [
        """{"model": "kling-video-v2-6-pro-text-to-video", "created": 1775090508, "videos": [{"url": "https://hub.oxen.ai/api/repos/.../files/.../video.mp4?..."}]}""",
    ];

    // specs/oxen.yaml EnqueueGeneration 200 "twoQueued".
    public static readonly string[] OxenEnqueue =
    [
        """{"generations": [{"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e", "status": "queued"}, {"generation_id": "e9bede09-cd0e-46cf-bbcd-cb1a50099351", "status": "queued"}]}""",
    ];

    // specs/oxen.yaml ListQueuedGenerations 200 "active" (the second generation's prompt is the one reconciliation looks for).
    public static readonly string[] OxenList =
    [
        """{"count": 2, "generations": [{"generation_id": "7cf9b23a-1234-5678-9abc-def012345678", "model_name": "kling-video-o3-pro-reference-to-video", "prompt": "An astronaut walking on Mars", "media_type": "video", "status": "processing", "result_url": null, "error_message": null, "enqueued_at": 1775091431, "started_at": 1775091432, "completed_at": null, "aspect_ratio": "16:9", "duration": 10}, {"generation_id": "bb8f5eb7-361e-4e13-ab73-67457bc8057e", "model_name": "black-forest-labs-flux-2-klein-4b", "prompt": "Abstract geometric pattern in blue and gold", "media_type": "image", "status": "queued", "result_url": null, "error_message": null, "enqueued_at": 1775091440, "started_at": null, "completed_at": null}]}""",
    ];

    // specs/oxen.yaml GetQueuedGeneration 200 "processing", "succeeded", "failed".
    public static readonly string[] OxenGet =
    [
        """{"generation_id": "7cf9b23a-1234-5678-9abc-def012345678", "model_name": "kling-video-o3-pro-reference-to-video", "prompt": "An astronaut walking on Mars", "media_type": "video", "status": "processing", "result_url": null, "error_message": null, "enqueued_at": 1775091431, "started_at": 1775091432, "completed_at": null, "aspect_ratio": "16:9", "duration": 10}""",
        """{"generation_id": "7cf9b23a-1234-5678-9abc-def012345678", "model_name": "kling-video-o3-pro-reference-to-video", "prompt": "An astronaut walking on Mars", "media_type": "video", "status": "succeeded", "result_url": "https://hub.oxen.ai/api/repos/...", "error_message": null, "enqueued_at": 1775091431, "started_at": 1775091432, "completed_at": 1775091590, "aspect_ratio": "16:9", "duration": 10}""",
        """{"generation_id": "7cf9b23a-1234-5678-9abc-def012345678", "model_name": "kling-video-o3-pro-reference-to-video", "prompt": "An astronaut walking on Mars", "media_type": "video", "status": "failed", "result_url": null, "error_message": "Insufficient credits", "enqueued_at": 1775091431, "started_at": 1775091432, "completed_at": 1775091435}""",
    ];
}
