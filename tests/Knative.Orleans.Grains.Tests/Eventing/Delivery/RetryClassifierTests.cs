using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Tests.Eventing.Delivery;

public sealed class RetryClassifierTests
{
    [Theory]
    [InlineData(200, AttemptOutcome.Success)]
    [InlineData(202, AttemptOutcome.Success)]
    [InlineData(204, AttemptOutcome.Success)]
    [InlineData(0, AttemptOutcome.Retry)] // no response: refused, reset, timeout
    [InlineData(404, AttemptOutcome.Retry)]
    [InlineData(408, AttemptOutcome.Retry)]
    [InlineData(409, AttemptOutcome.Retry)]
    [InlineData(429, AttemptOutcome.Retry)]
    [InlineData(500, AttemptOutcome.Retry)]
    [InlineData(503, AttemptOutcome.Retry)]
    [InlineData(599, AttemptOutcome.Retry)]
    [InlineData(100, AttemptOutcome.Fail)]
    [InlineData(301, AttemptOutcome.Fail)]
    [InlineData(400, AttemptOutcome.Fail)]
    [InlineData(401, AttemptOutcome.Fail)]
    [InlineData(403, AttemptOutcome.Fail)]
    [InlineData(405, AttemptOutcome.Fail)]
    [InlineData(413, AttemptOutcome.Fail)]
    [InlineData(415, AttemptOutcome.Fail)]
    [InlineData(422, AttemptOutcome.Fail)]
    public void Classifies(int status, AttemptOutcome expected) => Assert.Equal(expected, RetryClassifier.Classify(status));
}
