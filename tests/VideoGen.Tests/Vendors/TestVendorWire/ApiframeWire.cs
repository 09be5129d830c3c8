using VideoGen.Apiframe;

namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>
/// Apiframe's contract (<c>specs/gateway.yaml</c>): string job ids, upper-case status words, the key in <c>X-API-Key</c>
/// (https://docs-v2.apiframe.ai/docs/getting-started/authentication).
/// </summary>
internal sealed class ApiframeWire : VendorWire
{
    private const string EchoId = "job-gw-7f3a";

    public override Type ClientType => typeof(IApiframeClient);

    public override int AcceptedStatus => 202;

    public override string KeyHeader => "X-API-Key";

    /// <summary>Its typed status field is a date, which the tolerant reader leaves empty (and logs, redacted).</summary>
    public override bool StatusTypedFieldIsTolerant => true;

    public override bool ResultOnApiHost => true;

    public override string JobId => "job-7f3a";

    public override string OtherJobId => "job-other-9c1d";

    public override string AcceptedBody => """{"jobId":"job-7f3a","status":"QUEUED"}""";

    public override string UnknownStatusWithError(string status, string words) =>
        $$"""{"id":"job-7f3a","status":"{{status}}","error":"{{words}}"}""";

    public override string CompletedBody(string mutation, string url, string date, string error, string extra) =>
        $$"""{"id":"job-7f3a","status":"COMPLETED","model":"{{(mutation == "unknown-enum" ? "sora-9" : "sora-2")}}","progress":{{(mutation == "nulls" ? "null" : mutation == "id-other-type" ? "\"100\"" : "100")}},"result":{"videoUrl":{{url}}},"creditCost":10,"createdAt":{{date}},"completedAt":{{date}}{{error}}{{extra}}}""";

    public override string EchoAccepted => $$"""{"jobId": "{{EchoId}}", "status": "QUEUED"}""";

    public override string EchoRunning => $$"""{"id": "{{EchoId}}", "status": "PROCESSING", "progress": 50}""";

    public override string EchoFinished(Uri result) =>
        $$"""{"id": "{{EchoId}}", "status": "COMPLETED", "progress": 100, "result": {"videoUrl": "{{result}}"} }""";

    public override string EchoFailed(string key) => $$"""{"id": "{{EchoId}}", "status": "FAILED", "error": "provider rejected key {{key}}"}""";

    public override string EchoKeyInTypedField(string key) => $$"""{"id": "{{EchoId}}", "status": "QUEUED", "createdAt": "{{key}}"}""";
}
