using System.Text;
using VideoGen.Tests.Infrastructure;
using VideoGen.Webhooks;

namespace VideoGen.Tests.Webhooks;

public sealed class WebhookSignatureVerifierTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"completed","jobId":"b2c3d4e5","status":"COMPLETED"}""");
    private readonly VirtualTimeProvider _clock = new();

    private string Now => _clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Verify_SignedBySameSecret_IsValid()
    {
        var verifier = new WebhookSignatureVerifier(Secret, clock: _clock);
        var signature = verifier.CreateSignatureHeader("msg_1", Now, Body);

        verifier.Verify("msg_1", Now, signature, Body).IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Verify_KnownStandardWebhooksVector_MatchesTheSpecification()
    {
        // Test vector from the Standard Webhooks specification's reference implementation.
        // FakeTimeProvider's clock never runs backwards, so it starts at the vector's time.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330));
        var verifier = new WebhookSignatureVerifier(Secret, clock: clock);

        var result = verifier.Verify("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));

        result.IsValid.ShouldBeTrue(result.Reason);
    }

    [Fact]
    public void Verify_TamperedBody_IsRejected()
    {
        var verifier = new WebhookSignatureVerifier(Secret, clock: _clock);
        var signature = verifier.CreateSignatureHeader("msg_1", Now, Body);
        var tampered = Encoding.UTF8.GetBytes("""{"event":"completed","jobId":"someone-else","status":"COMPLETED"}""");

        var result = verifier.Verify("msg_1", Now, signature, tampered);

        result.IsValid.ShouldBeFalse();
        result.Reason.ShouldBe("no webhook-signature matches");
    }

    [Fact]
    public void Verify_SignedByAnotherSecret_IsRejected()
    {
        var signature = new WebhookSignatureVerifier("whsec_" + Convert.ToBase64String(new byte[24]), clock: _clock).CreateSignatureHeader("msg_1", Now, Body);

        new WebhookSignatureVerifier(Secret, clock: _clock).Verify("msg_1", Now, signature, Body).IsValid.ShouldBeFalse();
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_TimestampOutsideTolerance_IsRejectedAsStale(int offsetSeconds)
    {
        var verifier = new WebhookSignatureVerifier(Secret, clock: _clock);
        var stamp = (_clock.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = verifier.CreateSignatureHeader("msg_1", stamp, Body);

        var result = verifier.Verify("msg_1", stamp, signature, Body);

        result.IsValid.ShouldBeFalse();
        result.Reason!.ShouldContain("outside the 300 s tolerance");
    }

    [Fact]
    public void Verify_RotatedKeys_AcceptsAnyMatchingSignatureInTheList()
    {
        var verifier = new WebhookSignatureVerifier(Secret, clock: _clock);
        var good = verifier.CreateSignatureHeader("msg_1", Now, Body);

        verifier.Verify("msg_1", Now, "v1,AAAA v2,zzz " + good, Body).IsValid.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "1", "v1,x")]
    [InlineData("msg", null, "v1,x")]
    [InlineData("msg", "1", null)]
    [InlineData("msg", "yesterday", "v1,x")]
    public void Verify_MissingOrMalformedHeaders_IsRejected(string? id, string? timestamp, string? signature)
    {
        new WebhookSignatureVerifier(Secret, clock: _clock).Verify(id, timestamp, signature, Body).IsValid.ShouldBeFalse();
    }
}
