namespace Knative.Orleans.Silo.Eventing;

/// <summary>What a delivery needs of a response.</summary>
/// <param name="StatusCode">The final status (1xx skipped).</param>
/// <param name="Body">The body, cut at the limit the request asked for.</param>
/// <param name="Complete">Whether <paramref name="Body"/> is the whole body.</param>
/// <param name="ReplyExpected">Whether the reply limit applied (a 2xx other than 202 to a request that takes replies).</param>
/// <param name="ContentType">The <c>Content-Type</c> as received.</param>
/// <param name="HasSpecVersion">Whether a <c>ce-specversion</c> header came.</param>
/// <param name="Headers">Every header (first value per name), when asked for.</param>
internal sealed record PlainHttpResponse(int StatusCode, byte[] Body, bool Complete, bool ReplyExpected, string? ContentType, bool HasSpecVersion,
    List<KeyValuePair<string, string?>>? Headers);
