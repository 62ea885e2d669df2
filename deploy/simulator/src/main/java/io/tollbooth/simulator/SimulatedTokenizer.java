package io.tollbooth.simulator;

import java.nio.CharBuffer;
import java.util.List;

/**
 * The simulator's tokenizer: a small deterministic rule so tests can compute exact token counts by hand.
 *
 * <p>A token is either a maximal run of letters and digits ({@link Character#isLetterOrDigit(int)}) or one
 * single character (code point) that is neither a letter, a digit nor whitespace. Whitespace separates tokens
 * and is never a token itself. So {@code "Hello, world!"} is 4 tokens ({@code Hello}, {@code ,},
 * {@code world}, {@code !}), {@code "don't"} is 3 and {@code "2024-01-31"} is 5.
 *
 * <p>The prompt of a chat completion counts {@link #MESSAGE_OVERHEAD_TOKENS} per message plus the tokens of the
 * message's text content (a string, or the {@code text} of each content part; other parts count nothing). The
 * role, names and tool calls count nothing beyond the overhead.
 */
public final class SimulatedTokenizer {

    /** Fixed tokens added for every message of a prompt, whatever its content. */
    public static final int MESSAGE_OVERHEAD_TOKENS = 3;

    private SimulatedTokenizer() {
    }

    /** The number of tokens in {@code text}; 0 for an empty or blank text. */
    public static int countTokens(CharSequence text) {
        int tokens = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int codePoint = Character.codePointAt(text, i);
            i += Character.charCount(codePoint);
            if (Character.isLetterOrDigit(codePoint)) {
                if (!inWord) {
                    tokens++;
                }
                inWord = true;
            } else {
                inWord = false;
                if (!Character.isWhitespace(codePoint)) {
                    tokens++;
                }
            }
        }
        return tokens;
    }

    /** The number of tokens in {@code length} characters of {@code text} from {@code offset}, without copying. */
    static int countTokens(char[] text, int offset, int length) {
        return countTokens(CharBuffer.wrap(text, offset, length));
    }

    /** The prompt tokens of a chat whose messages have these text contents, overhead included. */
    public static int promptTokens(List<String> messageContents) {
        int tokens = 0;
        for (String content : messageContents) {
            tokens += MESSAGE_OVERHEAD_TOKENS + countTokens(content);
        }
        return tokens;
    }

    /** The prompt tokens of a chat whose messages have these text contents, overhead included. */
    public static int promptTokens(String... messageContents) {
        return promptTokens(List.of(messageContents));
    }
}
