using System.Buffers;
using Knative.Orleans.Contracts.Manifests;
using Microsoft.AspNetCore.Http.Features;

namespace Knative.Orleans.Silo.Api;

/// <summary>Reads a manifest body: size limit (413), media type (415), parse errors (400).</summary>
public static class AdminBody
{
    /// <summary>Parses the request body as <typeparamref name="T"/>; on failure returns the error result instead.</summary>
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, long limit)
        where T : class
    {
        var format = ManifestSerializer.FormatFromMediaType(context.Request.ContentType);
        if (format is null)
        {
            return (null, AdminResults.Failure(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (got \"{context.Request.ContentType}\")"));
        }

        var (body, tooLarge) = await ReadBytesAsync(context, limit);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (!ManifestSerializer.TryDeserialize<T>(body, format.Value, out var value, out var error) || value is null)
        {
            return (null, AdminResults.BadRequest("the request body is malformed: " + (string.IsNullOrEmpty(error) ? "empty body" : error)));
        }

        return (value, null);
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes (413).</summary>
    public static async Task<(byte[] Body, IResult? Error)> ReadBytesAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return ([], TooLarge(limit));
        }

        // Kestrel's own limit is raised to ours + 1 so that we, not Kestrel, produce the 413 Status.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1;
        }

        var buffer = new ArrayBufferWriter<byte>();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.WrittenCount + read > limit)
            {
                return ([], TooLarge(limit));
            }

            buffer.Write(chunk.AsSpan(0, read));
        }

        return (buffer.WrittenSpan.ToArray(), null);
    }

    private static IResult TooLarge(long limit) => AdminResults.Failure(StatusCodes.Status413RequestEntityTooLarge, "RequestEntityTooLarge",
        $"the request body is larger than the limit of {limit} bytes (Admin:MaxRequestBodyBytes)");
}
