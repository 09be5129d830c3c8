using VideoGen.Elumenta;

namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>Elumenta's contract (<c>specs/elumenta.yaml</c>), which NeuralBox serves too: integer ids, lower-case status words.</summary>
internal sealed class ElumentaWire : VendorWire
{
    private const string EchoId = "18500";

    public override Type ClientType => typeof(IElumentaClient);

    public override int AcceptedStatus => 200;

    public override bool ResultOnApiHost => true;

    public override string JobId => "18500";

    public override string OtherJobId => "18501";

    public override string AcceptedBody => """{"id":18500,"status":"pending"}""";

    public override string UnknownStatusWithError(string status, string words) =>
        $$"""{"id":18500,"status":"{{status}}","error":{"code":"policy","message":"{{words}}"} }""";

    public override string CompletedBody(string mutation, string url, string date, string error, string extra) =>
        $$"""{"id":{{(mutation == "id-other-type" ? "\"18500\"" : "18500")}},"status":"completed","model_slug":"{{(mutation == "unknown-enum" ? "kling-v9" : "kling-v2.1")}}","result_url":{{url}},"tokens_spent":26,"processing_ms":{{(mutation == "nulls" ? "null" : "55000")}},"result_metadata":{{(mutation == "nulls" ? "null" : "{\"duration\":5}")}},"created_at":{{date}},"completed_at":{{date}}{{error}}{{extra}}}""";

    public override string EchoAccepted =>
        $$"""{"id": {{EchoId}}, "status": "pending", "model_slug": "kling-v2.1", "created_at": "2026-11-22T12:00:00Z"}""";

    public override string EchoRunning => $$"""{"id": {{EchoId}}, "status": "pending", "model_slug": "kling-v2.1"}""";

    public override string EchoFinished(Uri result) =>
        $$"""{"id": {{EchoId}}, "status": "completed", "model_slug": "kling-v2.1", "tokens_spent": 26, "result_url": "{{result}}"}""";

    public override string EchoFailed(string key) => $$"""{"id": {{EchoId}}, "status": "failed", "error": "provider rejected key {{key}}"}""";

    public override string EchoKeyInTypedField(string key) => $$"""{"id": "{{key}}", "status": "pending"}""";
}
