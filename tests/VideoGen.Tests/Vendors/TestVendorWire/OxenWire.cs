using VideoGen.Oxen;

namespace VideoGen.Tests.Vendors.TestVendorWire;

/// <summary>Oxen.ai's contract (<c>specs/oxen.yaml</c>): UUID generation ids, a <c>generations</c> list on create.</summary>
internal sealed class OxenWire : VendorWire
{
    private const string Id = "2f6a7e37-1c3b-4f9e-9a4e-6a3c1e8d2b10";
    private const string EchoId = "7cf9b23a-1234-5678-9abc-def012345678";

    public override Type ClientType => typeof(IOxenClient);

    public override int AcceptedStatus => 200;

    public override bool ResultOnApiHost => false;

    public override string JobId => Id;

    public override string OtherJobId => "99999999-8888-4777-8666-555555555555";

    public override string AcceptedBody => $$"""{"generation_id":"{{Id}}","status":"queued","generations":[{"generation_id":"{{Id}}","status":"queued"}]}""";

    public override string UnknownStatusWithError(string status, string words) =>
        $$"""{"generation_id":"{{Id}}","status":"{{status}}","error_message":"{{words}}"}""";

    public override string CompletedBody(string mutation, string url, string date, string error, string extra) =>
        $$"""{"generation_id":"{{Id}}","status":"succeeded","media_type":"{{(mutation == "unknown-enum" ? "video_with_audio" : "video")}}","result_url":{{url}},"enqueued_at":{{date}},"completed_at":{{date}},"seed":{{(mutation == "id-other-type" ? "\"42\"" : "42")}}{{(mutation == "error-object" ? ",\"error_message\":{\"code\":\"none\"}" : string.Empty)}}{{extra}}}""";

    public override string EchoAccepted => $$"""{"generations": [{"generation_id": "{{EchoId}}", "status": "queued"}]}""";

    public override string EchoRunning => $$"""{"generation_id": "{{EchoId}}", "status": "processing"}""";

    public override string EchoFinished(Uri result) => $$"""{"generation_id": "{{EchoId}}", "status": "succeeded", "result_url": "{{result}}"}""";

    public override string EchoFailed(string key) => $$"""{"generation_id": "{{EchoId}}", "status": "failed", "error_message": "provider rejected key {{key}}"}""";

    public override string EchoKeyInTypedField(string key) =>
        $$"""{"generation_id": "{{key}}", "status": "queued", "generations": [{"generation_id": "{{key}}"}]}""";
}
