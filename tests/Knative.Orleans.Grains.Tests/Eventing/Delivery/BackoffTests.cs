using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Tests.Eventing.Delivery;

public sealed class BackoffTests
{
    [Theory]
    [InlineData("exponential", 200, 1, 200)]
    [InlineData("exponential", 200, 2, 400)]
    [InlineData("exponential", 200, 3, 800)]
    [InlineData("exponential", 200, 10, 102_400)]
    [InlineData(null, 200, 3, 800)] // no policy = exponential
    [InlineData("linear", 1000, 1, 1000)]
    [InlineData("linear", 1000, 2, 2000)]
    [InlineData("linear", 1000, 3, 3000)]
    [InlineData("linear", 0, 3, 0)] // no delay = no wait
    [InlineData("exponential", 0, 5, 0)]
    public void Wait_follows_the_rule(string? policy, int delayMs, int retry, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Wait(policy, TimeSpan.FromMilliseconds(delayMs), retry));

    [Fact]
    public void Defaults_give_eleven_attempts_over_204_6_seconds()
    {
        var total = Enumerable.Range(1, 10).Aggregate(TimeSpan.Zero, (sum, k) => sum + Backoff.Wait("exponential", TimeSpan.FromSeconds(0.2), k));
        Assert.Equal(TimeSpan.FromSeconds(204.6), total);
    }

    [Fact]
    public void Huge_exponents_saturate() =>
        Assert.Equal(TimeSpan.MaxValue, Backoff.Wait("exponential", TimeSpan.FromDays(1), 200));
}
