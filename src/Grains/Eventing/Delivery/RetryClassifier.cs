namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>What one attempt's outcome means.</summary>
public enum AttemptOutcome
{
    /// <summary>2xx: delivered.</summary>
    Success = 0,

    /// <summary>Try again (if attempts remain): no response, 404, 408, 409, 429, 5xx.</summary>
    Retry = 1,

    /// <summary>Fail at once and dead-letter: 1xx, 3xx, other 4xx.</summary>
    Fail = 2,
}

/// <summary>Retry classification (pure; KNATIVE-NOTES §4.4).</summary>
public static class RetryClassifier
{
    /// <summary>Classifies a status code; 0 means no response.</summary>
    public static AttemptOutcome Classify(int statusCode) => statusCode switch
    {
        0 => AttemptOutcome.Retry,
        >= 200 and < 300 => AttemptOutcome.Success,
        404 or 408 or 409 or 429 => AttemptOutcome.Retry,
        >= 500 and < 600 => AttemptOutcome.Retry,
        _ => AttemptOutcome.Fail,
    };
}
