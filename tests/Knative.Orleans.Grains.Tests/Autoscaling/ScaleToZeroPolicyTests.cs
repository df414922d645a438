using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// ScaleToZeroPolicy on a scripted timeline: the last request ends at t0, then the policy is asked at t0, t0+2s, … and
/// must keep one instance until idle == stable-window + scale-to-zero-grace-period (60 s + 30 s by default).
/// </summary>
public sealed class ScaleToZeroPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly AutoscalerConfig Short = AutoscalerConfig.Default with
    {
        StableWindow = TimeSpan.FromSeconds(6),
        ScaleToZeroGracePeriod = TimeSpan.FromSeconds(1),
    };

    /// <summary>One step: seconds after t0 (LastActivity), requests in flight, expected desired scale and reason.</summary>
    public sealed record Step(double At, int InFlight, int Desired, string Reason);

    private const string Traffic = "traffic within stable-window + scale-to-zero-grace-period";
    private const string Idle = "idle";
    private const string InFlight = "requests in flight";

    public static TheoryData<string, AutoscalerConfig, Step[]> Timelines => new()
    {
        {
            "defaults: one instance for 90 s, zero at exactly 90 s",
            AutoscalerConfig.Default,
            [
                new(0, 0, 1, Traffic), new(2, 0, 1, Traffic), new(4, 0, 1, Traffic), new(30, 0, 1, Traffic),
                new(60, 0, 1, Traffic), new(62, 0, 1, Traffic), new(88, 0, 1, Traffic), new(89.999, 0, 1, Traffic),
                new(90, 0, 0, Idle), new(92, 0, 0, Idle), new(3600, 0, 0, Idle),
            ]
        },
        {
            "a request in flight keeps one instance however long ago the last activity was",
            AutoscalerConfig.Default,
            [new(0, 3, 1, InFlight), new(90, 1, 1, InFlight), new(600, 1, 1, InFlight), new(602, 0, 0, Idle)]
        },
        {
            "stable-window 6s + grace 1s: boundary at 7 s",
            Short,
            [new(0, 0, 1, Traffic), new(2, 0, 1, Traffic), new(6, 0, 1, Traffic), new(6.999, 0, 1, Traffic), new(7, 0, 0, Idle)]
        },
        {
            "enable-scale-to-zero false: one instance forever",
            AutoscalerConfig.Default with { EnableScaleToZero = false },
            [new(88, 0, 1, Traffic), new(90, 0, 1, "enable-scale-to-zero is false"), new(86_400, 0, 1, "enable-scale-to-zero is false")]
        },
        {
            "a grace period of its own: 60 s + 5 s",
            AutoscalerConfig.Default with { ScaleToZeroGracePeriod = TimeSpan.FromSeconds(5) },
            [new(64, 0, 1, Traffic), new(65, 0, 0, Idle)]
        },
        {
            "last activity in the future (clock skew between silos) counts as traffic",
            AutoscalerConfig.Default,
            [new(-10, 0, 1, Traffic), new(-1000, 0, 1, Traffic)]
        },
    };

    [Theory]
    [MemberData(nameof(Timelines))]
    public void Initialized_revision_follows_the_timeline(string scenario, AutoscalerConfig config, Step[] steps)
    {
        foreach (var step in steps)
        {
            var result = ScaleToZeroPolicy.Decide(new ScaleInput(T0.AddSeconds(step.At), T0, step.InFlight, Initialized: true, config));
            Assert.True(
                new ScaleResult(step.Desired, step.Reason) == result,
                $"{scenario}: at t0+{step.At}s with {step.InFlight} in flight expected ({step.Desired}, {step.Reason}), got ({result.Desired}, {result.Reason})");
        }
    }

    public static TheoryData<int, bool, int, double, int> BeforeInitialization => new()
    {
        // initialScale, allowZero, inFlight, seconds idle, expected
        { 1, false, 0, 0, 1 },
        { 1, false, 0, 3600, 1 }, // idle does not matter before the revision proved it can run
        { 3, false, 0, 0, 3 },
        { 3, false, 5, 3600, 3 },
        { 0, true, 0, 0, 0 },
        { 0, true, 0, 3600, 0 },
        { 0, true, 2, 0, 1 }, // a held request wakes a zero-initial-scale revision
    };

    [Theory]
    [MemberData(nameof(BeforeInitialization))]
    public void Uninitialized_revision_uses_initial_scale(int initialScale, bool allowZero, int inFlight, double idleSeconds, int expected)
    {
        var config = AutoscalerConfig.Default with { InitialScale = initialScale, AllowZeroInitialScale = allowZero };

        var result = ScaleToZeroPolicy.Decide(new ScaleInput(T0.AddSeconds(idleSeconds), T0, inFlight, Initialized: false, config));

        Assert.Equal(new ScaleResult(expected, "initial-scale"), result);
    }
}
