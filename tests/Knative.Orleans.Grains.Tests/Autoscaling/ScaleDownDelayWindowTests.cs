using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// <see cref="ScaleDownDelayWindow"/>: the maximum over the last delay in 2 s steps (knative/serving
/// <c>pkg/autoscaler/aggregation/max/timewindow_test.go</c> semantics).
/// </summary>
public sealed class ScaleDownDelayWindowTests
{
    [Theory]
    // "t=value;..." recorded with a 10 s delay (5 steps), then the expected maximum after the last record.
    [InlineData("0=5", 5)]
    [InlineData("0=5;2=3", 5)]
    [InlineData("0=5;8=3", 5)]
    [InlineData("0=5;10=3", 3)]
    [InlineData("0=5;2=7", 7)]
    [InlineData("0=5;4=3;10=1", 3)]
    [InlineData("0=5;4=3;14=1", 1)]
    // Two decisions in the same 2 s step keep the larger.
    [InlineData("0=5;1=3", 5)]
    [InlineData("0=3;1=5", 5)]
    public void CurrentIsTheMaximumWithinTheDelay(string script, int expected)
    {
        var window = ScaleDownDelayWindow.Empty;
        foreach (var step in script.Split(';'))
        {
            var parts = step.Split('=');
            window = window.Record(DeciderScript.T0.AddSeconds(int.Parse(parts[0])), int.Parse(parts[1]), TimeSpan.FromSeconds(10));
        }

        Assert.Equal(expected, window.Current);
    }

    [Fact]
    public void EmptyWindowHasNoValue() => Assert.Null(ScaleDownDelayWindow.Empty.Current);
}
