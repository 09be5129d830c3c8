using VideoGen.AimlApi;

namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>AIML API's contract (<c>specs/aimlapi.yaml</c>): UUID job ids, a <c>state</c> word, 201 on create.</summary>
internal sealed class AimlApiWire : VendorWire
{
    private const string Id = "755f9bbb-d99b-4880-992b-f05244ddba61";
    private const string EchoId = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";

    public override Type ClientType => typeof(IAimlApiClient);

    public override int AcceptedStatus => 201;

    public override bool ResultOnApiHost => false;

    public override string JobId => Id;

    public override string OtherJobId => "11111111-2222-4333-8444-555555555555";

    public override string AcceptedBody => $$"""{"id":"{{Id}}","state":"queued"}""";

    public override string UnknownStatusWithError(string status, string words) =>
        $$"""{"id":"{{Id}}","state":"{{status}}","failure_reason":"{{words}}"}""";

    public override string CompletedBody(string mutation, string url, string date, string error, string extra) =>
        $$"""{"id":"{{Id}}","state":"completed","generation_type":"{{(mutation == "unknown-enum" ? "add_audio" : "video")}}","assets":{"video":{{url}}},"model":{{(mutation == "id-other-type" ? "2" : "\"ray-2\"")}},"created_at":{{date}}{{(mutation == "error-object" ? ",\"failure_reason\":{\"code\":\"none\"}" : string.Empty)}}{{extra}}}""";

    public override string EchoAccepted => $$"""{"id": "{{EchoId}}", "state": "queued", "model": "ray-2"}""";

    public override string EchoRunning => $$"""{"id": "{{EchoId}}", "state": "dreaming"}""";

    public override string EchoFinished(Uri result) => $$"""{"id": "{{EchoId}}", "state": "completed", "assets": {"video": "{{result}}"} }""";

    public override string EchoFailed(string key) => $$"""{"id": "{{EchoId}}", "state": "failed", "failure_reason": "provider rejected key {{key}}"}""";

    public override string EchoKeyInTypedField(string key) => $$"""{"id": "{{key}}", "state": "queued"}""";
}
