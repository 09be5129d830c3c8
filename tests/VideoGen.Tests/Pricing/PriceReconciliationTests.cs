using VideoGen.Pricing;

namespace VideoGen.Tests.Pricing;

public sealed class PriceReconciliationTests
{
    private static readonly PriceEstimate KlingRange = new("elumenta", "kling-v2.1", 26m, 94m, "Elumenta tokens", "Range: seed 000");
    private static readonly PriceEstimate KlingPoint = new("elumenta", "kling-v2.1", 26m, 26m, "Elumenta tokens", "Exact: seed 000");
    private static readonly PriceEstimate GatewayUnknown = new("gateway", "veo-3", null, null, "credits", "Seed 001 gives no price.");

    [Fact]
    public void Reconcile_SeedCompletedExampleAgainstItsPoint_IsWithinWithZeroDifference()
    {
        // 000_19877c27d990fa7a.txt § Completed Response: "tokens_spent": 26 for kling-v2.1, 5 s.
        var result = PriceCalculator.Reconcile(KlingPoint, new VideoCost(26m, "Elumenta tokens"));

        result.Outcome.ShouldBe(PriceReconciliationOutcome.WithinEstimate);
        result.IsWithinEstimate.ShouldBeTrue();
        result.Difference.ShouldBe(0m);
        result.DifferenceFromMax.ShouldBe(0m);
        result.Summary.ShouldContain("26 Elumenta tokens");
    }

    [Fact]
    public void Reconcile_ActualInsideTheRange_IsWithinAndShowsWhatTheWorstCaseOverstated()
    {
        var result = PriceCalculator.Reconcile(KlingRange, new VideoCost(60m, "Elumenta tokens"));

        result.IsWithinEstimate.ShouldBeTrue();
        result.Difference.ShouldBe(0m);
        result.DifferenceFromMax.ShouldBe(-34m);
        result.Estimate.ShouldBe(KlingRange);
        result.Actual.ShouldBe(new VideoCost(60m, "Elumenta tokens"));
    }

    [Fact]
    public void Reconcile_ActualOnTheBounds_IsWithin()
    {
        PriceCalculator.Reconcile(KlingRange, new VideoCost(26m, "Elumenta tokens")).IsWithinEstimate.ShouldBeTrue();
        PriceCalculator.Reconcile(KlingRange, new VideoCost(94m, "Elumenta tokens")).IsWithinEstimate.ShouldBeTrue();
    }

    [Fact]
    public void Reconcile_ActualAboveTheWorstCase_IsAboveWithPositiveDifference()
    {
        var result = PriceCalculator.Reconcile(KlingRange, new VideoCost(100m, "Elumenta tokens"));

        result.Outcome.ShouldBe(PriceReconciliationOutcome.AboveEstimate);
        result.IsWithinEstimate.ShouldBeFalse();
        result.Difference.ShouldBe(6m);
        result.DifferenceFromMax.ShouldBe(6m);
        result.Summary.ShouldContain("6 more than the worst case 94 Elumenta tokens");
    }

    [Fact]
    public void Reconcile_ActualBelowTheMinimum_IsBelowWithNegativeDifference()
    {
        var result = PriceCalculator.Reconcile(KlingRange, new VideoCost(20m, "Elumenta tokens"));

        result.Outcome.ShouldBe(PriceReconciliationOutcome.BelowEstimate);
        result.Difference.ShouldBe(-6m);
        result.DifferenceFromMax.ShouldBe(-74m);
    }

    [Fact]
    public void Reconcile_DifferentUnit_IsUnitMismatchAndComparesNoAmounts()
    {
        var result = PriceCalculator.Reconcile(KlingRange, new VideoCost(26m, "NeuralBox tokens"));

        result.Outcome.ShouldBe(PriceReconciliationOutcome.UnitMismatch);
        result.IsUnitMismatch.ShouldBeTrue();
        result.IsWithinEstimate.ShouldBeFalse();
        result.Difference.ShouldBeNull();
        result.DifferenceFromMax.ShouldBeNull();
        result.Summary.ShouldContain("NeuralBox tokens");
        result.Summary.ShouldContain("Elumenta tokens");
    }

    [Fact]
    public void Reconcile_UnitDiffersOnlyInCaseAndSpaces_IsNotAMismatch()
    {
        PriceCalculator.Reconcile(KlingRange, new VideoCost(30m, " elumenta TOKENS ")).Outcome.ShouldBe(PriceReconciliationOutcome.WithinEstimate);
    }

    [Fact]
    public void Reconcile_UnknownEstimate_IsEstimateUnknownWithTheReason()
    {
        var result = PriceCalculator.Reconcile(GatewayUnknown, new VideoCost(12m, "credits"));

        result.Outcome.ShouldBe(PriceReconciliationOutcome.EstimateUnknown);
        result.Difference.ShouldBeNull();
        result.Summary.ShouldContain("12 credits");
        result.Summary.ShouldContain("Seed 001 gives no price.");
    }

    [Fact]
    public void Reconcile_NoReportedCost_IsNotReported()
    {
        var result = PriceCalculator.Reconcile(KlingRange, (VideoCost?)null);

        result.Outcome.ShouldBe(PriceReconciliationOutcome.NotReported);
        result.Actual.ShouldBeNull();
        result.Difference.ShouldBeNull();
    }

    [Fact]
    public void Reconcile_Job_ReadsTheJobsReportedCost()
    {
        var job = new VideoJob
        {
            Id = "18500",
            Vendor = "Elumenta",
            Status = VideoJobStatus.Succeeded,
            Cost = new VideoCost(26m, "Elumenta tokens"),
        };

        PriceCalculator.Reconcile(KlingRange, job).Actual.ShouldBe(job.Cost);
        PriceCalculator.Reconcile(KlingRange, job with { Cost = null }).Outcome.ShouldBe(PriceReconciliationOutcome.NotReported);
    }

    [Fact]
    public void Reconcile_SameInputs_GiveEqualResults()
    {
        var cost = new VideoCost(50m, "Elumenta tokens");

        PriceCalculator.Reconcile(KlingRange, cost).ShouldBe(PriceCalculator.Reconcile(KlingRange, cost));
    }
}
