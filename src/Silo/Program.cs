using Knative.Orleans.Gateway.Hosting;
using Knative.Orleans.Silo.Hosting;

namespace Knative.Orleans.Silo;

/// <summary>The all-in-one platform: <c>dotnet run --project src/Silo</c>.</summary>
public static partial class Program
{
    /// <summary>Entry point; returns 0 after a clean shutdown (SIGTERM), 2 on invalid configuration.</summary>
    public static async Task<int> Main(string[] args)
    {
        // Content root = the binary's directory, so appsettings.json is found whatever the working directory;
        // relative paths in settings (Storage:Path) still resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var (config, errors) = PlatformConfiguration.Read(builder.Configuration);
        if (config is null)
        {
            await Console.Error.WriteLineAsync("invalid configuration:\n  " + string.Join("\n  ", errors));
            return 2;
        }

        if (config.InlineScheduling)
        {
            InlineScheduling.EnableSocketCompletions(); // before the first socket: the runtime reads it once
        }

        var (token, tokenFile) = AdminToken.Resolve(builder.Configuration["Admin:Token"], config.StoragePath);
        builder.Services.AddSingleton(new AdminTokenHolder(token));
        builder.AddKnativePlatform(config);
        var app = builder.Build();
        app.MapKnativePlatform();
        LogStarting(app.Logger, config.GatewayUrl, config.AdminUrl, config.StoragePath,
            tokenFile ?? "(from Admin:Token)");
        try
        {
            await app.RunAsync();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            // Options validated at start by their components (ValidateOnStart) report like the checks above.
            await Console.Error.WriteLineAsync("invalid configuration:\n  " + string.Join("\n  ", e.Failures));
            return 2;
        }

        return 0;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Knative.Orleans: gateway {GatewayUrl}, admin API {AdminUrl}, data {StoragePath}, admin token in {TokenFile}")]
    private static partial void LogStarting(ILogger logger, Uri gatewayUrl, Uri adminUrl, string storagePath, string tokenFile);
}
