package dev.portoneverify.portone.v2;

import java.util.Map;

/**
 * PortOne V2's bank codes ({@code Bank} in the V2 OpenAPI document, 79 codes) and the Korean name each
 * carries in its {@code x-portone-enum} title. V1 hands out a display name; V2 only a code, so the
 * buyer's SMS and the stored {@code vbank_name} need this table. Generated from
 * portone-io/developers.portone.io {@code src/schema/v2.openapi.json} (info.version 1.16.0).
 */
public final class Banks {
    private static final Map<String, String> KOREAN = Map.ofEntries(
            Map.entry("BANK_OF_CHINA", "중국은행"),
            Map.entry("KDB", "산업은행"),
            Map.entry("HANYANG_SECURITIES", "한양증권"),
            Map.entry("SK_SECURITIES", "SK증권"),
            Map.entry("HANA_SECURITIES", "하나증권"),
            Map.entry("KB_SECURITIES", "KB증권"),
            Map.entry("KYONGNAM", "경남은행"),
            Map.entry("WOORI_INVESTMENT_BANK", "우리종합금융"),
            Map.entry("CITI", "한국씨티은행"),
            Map.entry("SHINYOUNG_SECURITIES", "신영증권"),
            Map.entry("KOREA_SECURITIES", "한국투자증권"),
            Map.entry("SHINHAN", "신한은행"),
            Map.entry("LEADING_SECURITIES", "리딩투자증권"),
            Map.entry("UOB", "대화은행"),
            Map.entry("KOREA_FOSS_SECURITIES", "한국포스증권"),
            Map.entry("MERITZ_SECURITIES", "메리츠증권"),
            Map.entry("MIZUHO", "미즈호은행"),
            Map.entry("EBEST_SECURITIES", "LS증권"),
            Map.entry("SANGSANGIN_SECURITIES", "상상인증권"),
            Map.entry("IBK", "기업은행"),
            Map.entry("DEUTSCHE", "도이치은행"),
            Map.entry("KCIS", "한국신용정보원"),
            Map.entry("KEXIM", "수출입은행"),
            Map.entry("SHINHYUP", "신협"),
            Map.entry("CCB", "중국건설은행"),
            Map.entry("HANA", "하나은행"),
            Map.entry("TOSS_SECURITIES", "토스증권"),
            Map.entry("IBK_SECURITIES", "IBK투자증권"),
            Map.entry("SHINHAN_SECURITIES", "신한투자증권"),
            Map.entry("HANHWA_SECURITIES", "한화투자증권"),
            Map.entry("SUHYUP_FEDERATION", "수협중앙회"),
            Map.entry("LOCAL_NONGHYUP", "지역농축협"),
            Map.entry("WOORI", "우리은행"),
            Map.entry("SAMSUNG_SECURITIES", "삼성증권"),
            Map.entry("K_BANK", "케이뱅크"),
            Map.entry("DB_SECURITIES", "DB금융투자"),
            Map.entry("SGI", "서울보증보험"),
            Map.entry("JEJU", "제주은행"),
            Map.entry("MIRAE_ASSET_SECURITIES", "미래에셋증권"),
            Map.entry("SAVINGS_BANK", "저축은행"),
            Map.entry("EUGENE_SECURITIES", "유진투자증권"),
            Map.entry("DAEGU", "아이엠뱅크"),
            Map.entry("BNK_SECURITIES", "BNK투자증권"),
            Map.entry("KAKAO_PAY_SECURITIES", "카카오페이증권"),
            Map.entry("SUHYUP", "수협은행"),
            Map.entry("CAPE_SECURITIES", "케이프투자증권"),
            Map.entry("JEONBUK", "전북은행"),
            Map.entry("BNP_PARIBAS", "비엔피파리바은행"),
            Map.entry("KOREA_SECURITIES_FINANCE", "한국증권금융"),
            Map.entry("KODIT", "신용보증기금"),
            Map.entry("BOCOM", "교통은행"),
            Map.entry("DAOL_SECURITIES", "다올투자증권"),
            Map.entry("NFCF", "산림조합중앙회"),
            Map.entry("HSBC", "HSBC은행"),
            Map.entry("STANDARD_CHARTERED", "SC제일은행"),
            Map.entry("KWANGJU", "광주은행"),
            Map.entry("ICBC", "중국공상은행"),
            Map.entry("TOSS", "토스뱅크"),
            Map.entry("HYUNDAI_MOTOR_SECURITIES", "현대차증권"),
            Map.entry("BANK_OF_AMERICA", "BOA은행"),
            Map.entry("BANK_OF_KOREA", "한국은행"),
            Map.entry("NONGHYUP", "NH농협은행"),
            Map.entry("HI_SECURITIES", "하이투자증권"),
            Map.entry("KIBO", "기술보증기금"),
            Map.entry("KAKAO", "카카오뱅크"),
            Map.entry("KIWOOM_SECURITIES", "키움증권"),
            Map.entry("BUSAN", "부산은행"),
            Map.entry("NH_SECURITIES", "NH투자증권"),
            Map.entry("MORGAN_STANLEY", "모간스탠리은행"),
            Map.entry("KFCC", "새마을금고"),
            Map.entry("BOOKOOK_SECURITIES", "부국증권"),
            Map.entry("MISC_FOREIGN", "기타 외국계은행(중국 농업은행 등)"),
            Map.entry("YUANTA_SECURITIES", "유안타증권"),
            Map.entry("POST", "우체국"),
            Map.entry("DAISHIN_SECURITIES", "대신증권"),
            Map.entry("KOOKMIN", "국민은행"),
            Map.entry("MUFG", "엠유에프지은행"),
            Map.entry("JPMC", "제이피모간체이스은행"),
            Map.entry("KYOBO_SECURITIES", "교보증권"));

    private Banks() {}

    /** The Korean name of a bank code; a code this table does not know is shown as itself. */
    public static String koreanName(String code) {
        return code == null ? null : KOREAN.getOrDefault(code, code);
    }

    public static boolean known(String code) {
        return code != null && KOREAN.containsKey(code);
    }
}
