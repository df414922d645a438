using System.Globalization;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Checks <see cref="LocalDriverOptions"/> at startup; every message names the key, the value and the allowed range.</summary>
public sealed class LocalDriverOptionsValidator : IValidateOptions<LocalDriverOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LocalDriverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = nameof(LocalDriverOptions) + ".";

        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            errors.Add($"{Prefix}{nameof(options.DataPath)} = \"{options.DataPath}\", must be a directory path (required)");
        }

        Range(errors, Prefix + nameof(options.ProbePeriod), options.ProbePeriod, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        Range(errors, Prefix + nameof(options.ProbeTimeout), options.ProbeTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10));
        Range(errors, Prefix + nameof(options.ReadyProbePeriod), options.ReadyProbePeriod, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        Range(errors, Prefix + nameof(options.ShutdownTimeout), options.ShutdownTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Range(errors, Prefix + nameof(options.StopGracePeriod), options.StopGracePeriod, TimeSpan.Zero, options.ShutdownTimeout);
        Range(errors, Prefix + nameof(options.MaxOutputLinesPerRevision), options.MaxOutputLinesPerRevision, 1, 1_000_000);
        Range(errors, Prefix + nameof(options.MaxOutputCharsPerRevision), options.MaxOutputCharsPerRevision, 1024, 64 * 1024 * 1024);
        Range(errors, Prefix + nameof(options.MaxOutputRevisions), options.MaxOutputRevisions, 1, 100_000);
        Range(errors, Prefix + nameof(options.MaxLineLength), options.MaxLineLength, 80, 1024 * 1024);

        if (options.UseSetpriv == true && !ProcessSpawner.WrapperToolsExist)
        {
            errors.Add($"{Prefix}{nameof(options.UseSetpriv)} = true, but {ProcessSpawner.SetprivPath} or {ProcessSpawner.SetsidPath} " +
                "is missing; install util-linux or set it to null (auto) or false");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Range(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} = {Format(value)}, must be in [{Format(min)}; {Format(max)}]");
        }
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} = {value}, must be in [{min}; {max}]"));
        }
    }

    private static string Format(TimeSpan value) =>
        value.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)value.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds}ms");
}
